/**
 * Live updates for watched jobs and servers, per socket. Each watch is checked against
 * the socket's actor once (another tenant's id gets an error, not data) and then
 * registered with the process's change hub (lib/realtime/changes), which reads a changed
 * row once for every socket that watches it: nothing is polled per socket.
 */
import type { Socket } from "socket.io";
import type { Db } from "@/lib/db/client";
import { realtimeEvent, type ServerMessage } from "@/lib/protocol/realtime";
import type { Actor } from "@/lib/server/actor";
import { getJobOrThrow } from "@/lib/server/jobs/get-job-or-throw";
import { getServerOrThrow } from "@/lib/server/vservers/get-server-or-throw";
import { visibleServersWhere } from "@/lib/server/vservers/visible-servers-where";
import type { ChangeHub } from "./changes/change-hub";

/** Most servers one socket may watch (a list page's worth, with room for the open server). */
const maxServerWatches = 250;

/** The watches of one socket. */
export class SocketWatches {
  private jobs = new Map<string, () => void>();
  /** Watched one by one (a server page), and as a list page's (replaced by the next list). */
  private single = new Map<string, () => void>();
  private listed: { ids: Set<string>; remove: () => void } = { ids: new Set(), remove: () => undefined };
  private disposed = false;

  constructor(
    private readonly socket: Pick<Socket, "emit">,
    private readonly db: Db,
    private readonly actor: Actor,
    private readonly hub: ChangeHub,
  ) {}

  private readonly send = (msg: ServerMessage): void => {
    if (!this.disposed) this.socket.emit(realtimeEvent, msg);
  };

  /** Watches a job (after an ownership check: another tenant's job gets an error, not data). */
  async watchJob(jobId: string, sinceSeq: number): Promise<void> {
    try {
      await getJobOrThrow(this.db, this.actor, jobId, 0);
    } catch {
      this.send({ type: "error", message: "Job not found", about: jobId });
      return;
    }
    this.unwatchJob(jobId);
    const remove = await this.hub.addJob(jobId, { seq: sinceSeq, last: "", send: this.send });
    this.keep(this.jobs, jobId, remove);
  }

  /** Watches a server's state. */
  async watchServer(serverId: string): Promise<void> {
    try {
      await getServerOrThrow(this.db, this.actor, serverId);
    } catch {
      this.send({ type: "error", message: "Server not found", about: serverId });
      return;
    }
    if (this.single.has(serverId)) return;
    const remove = await this.hub.addServers([[serverId, { last: "", send: this.send }]]);
    this.keep(this.single, serverId, remove);
  }

  /**
   * Watches a list page's servers: the ids the actor may see are watched, the others
   * dropped without an answer (a guessed id learns nothing). Replaces the previous list.
   */
  async watchServers(serverIds: string[]): Promise<void> {
    this.listed.remove();
    this.listed = { ids: new Set(), remove: () => undefined };
    const visible = await this.db.vServer.findMany({ where: { AND: [{ id: { in: serverIds.slice(0, 1000) } }, visibleServersWhere(this.actor)] }, select: { id: true } });
    const ids = visible.map((v) => v.id).filter((id) => !this.single.has(id)).slice(0, Math.max(0, maxServerWatches - this.single.size));
    const remove = await this.hub.addServers(ids.map((id) => [id, { last: "", send: this.send }]));
    if (this.disposed) return remove();
    this.listed = { ids: new Set(ids), remove };
  }

  /** Stops watching a job. */
  unwatchJob(jobId: string): void {
    this.jobs.get(jobId)?.();
    this.jobs.delete(jobId);
  }

  /** Stops watching a server (a list page's watch of it stays until the next list). */
  unwatchServer(serverId: string): void {
    this.single.get(serverId)?.();
    this.single.delete(serverId);
  }

  /** Ends every watch (socket closed). */
  dispose(): void {
    this.disposed = true;
    for (const remove of this.jobs.values()) remove();
    for (const remove of this.single.values()) remove();
    this.listed.remove();
    this.jobs.clear();
    this.single.clear();
  }

  /** Keeps a watch's remover, or removes it at once when the socket closed while it was added. */
  private keep(map: Map<string, () => void>, id: string, remove: () => void): void {
    if (this.disposed) return remove();
    map.get(id)?.();
    map.set(id, remove);
  }
}
