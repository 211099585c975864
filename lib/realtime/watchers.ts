/**
 * Live updates for watched jobs and servers. Each socket's watches are served by
 * polling the database (twice a second), not an in-process event bus: the job may run
 * in another panel instance, and the database is what all instances share.
 */
import type { Socket } from "socket.io";
import type { Db } from "@/lib/db/client";
import { realtimeEvent, type ServerMessage } from "@/lib/protocol/realtime";
import type { Actor } from "@/lib/server/actor";
import { getJobOrThrow } from "@/lib/server/jobs/get-job-or-throw";
import { getServerOrThrow } from "@/lib/server/vservers/get-server-or-throw";
import { serverStatusOf, serverStatusSelect } from "@/lib/server/vservers/server-status";
import { visibleServersWhere } from "@/lib/server/vservers/visible-servers-where";

const pollMs = 500;

/** Most servers one socket may watch (a list page's worth, with room for the open server). */
const maxServerWatches = 250;

/** The watches of one socket. */
export class SocketWatches {
  private jobs = new Map<string, { seq: number; last: string }>();
  private servers = new Map<string, string>();
  /** Watched one by one (a server page) and as part of a list, so a new list keeps the page's. */
  private single = new Set<string>();
  private listed = new Set<string>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly socket: Socket,
    private readonly db: Db,
    private readonly actor: Actor,
  ) {}

  private send(msg: ServerMessage): void {
    this.socket.emit(realtimeEvent, msg);
  }

  /** Watches a job (after an ownership check: another tenant's job gets an error, not data). */
  async watchJob(jobId: string, sinceSeq: number): Promise<void> {
    try {
      await getJobOrThrow(this.db, this.actor, jobId, 0);
    } catch {
      this.send({ type: "error", message: "Job not found", about: jobId });
      return;
    }
    this.jobs.set(jobId, { seq: sinceSeq, last: "" });
    this.ensureTimer();
    await this.pollJob(jobId);
  }

  /** Watches a server's state. */
  async watchServer(serverId: string): Promise<void> {
    try {
      await getServerOrThrow(this.db, this.actor, serverId);
    } catch {
      this.send({ type: "error", message: "Server not found", about: serverId });
      return;
    }
    this.single.add(serverId);
    this.servers.set(serverId, "");
    this.ensureTimer();
    await this.pollServers();
  }

  /**
   * Watches a list page's servers: the ids the actor may see are watched, the others
   * dropped without an answer (a guessed id learns nothing). Replaces the previous list.
   */
  async watchServers(serverIds: string[]): Promise<void> {
    for (const id of this.listed) if (!this.single.has(id)) this.servers.delete(id);
    this.listed.clear();
    const visible = await this.db.vServer.findMany({ where: { AND: [{ id: { in: serverIds } }, visibleServersWhere(this.actor)] }, select: { id: true } });
    for (const { id } of visible) {
      if (this.servers.size >= maxServerWatches) break;
      this.listed.add(id);
      if (!this.servers.has(id)) this.servers.set(id, "");
    }
    this.ensureTimer();
    await this.pollServers();
  }

  /** Stops watching a job. */
  unwatchJob(jobId: string): void {
    this.jobs.delete(jobId);
  }

  /** Stops watching a server. */
  unwatchServer(serverId: string): void {
    this.single.delete(serverId);
    if (!this.listed.has(serverId)) this.servers.delete(serverId);
  }

  /** Ends every watch (socket closed). */
  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.jobs.clear();
    this.servers.clear();
  }

  private ensureTimer(): void {
    this.timer ??= setInterval(() => void this.pollAll(), pollMs);
  }

  private async pollAll(): Promise<void> {
    try {
      await Promise.all([...[...this.jobs.keys()].map((id) => this.pollJob(id)), this.pollServers()]);
    } catch (error) {
      console.error("realtime poll failed", error);
    }
  }

  private async pollJob(jobId: string): Promise<void> {
    const watch = this.jobs.get(jobId);
    if (!watch) return;
    const job = await this.db.job.findUnique({ where: { id: jobId }, include: { lines: { where: { seq: { gt: watch.seq } }, orderBy: { seq: "asc" }, take: 500 } } });
    if (!job) return;
    const key = `${job.state}|${job.progress}|${job.error ?? ""}`;
    if (key === watch.last && job.lines.length === 0) return;
    watch.last = key;
    watch.seq = job.lines.at(-1)?.seq ?? watch.seq;
    this.send({
      type: "job.update",
      job: { id: job.id, type: job.type, state: job.state, progress: job.progress, error: job.error, vserverId: job.vserverId },
      lines: job.lines.map((l) => ({ seq: l.seq, text: l.text, stream: l.stream })),
    });
  }

  /** One query for every watched server; sends those whose status changed (or that are gone). */
  private async pollServers(): Promise<void> {
    const ids = [...this.servers.keys()];
    if (ids.length === 0) return;
    const rows = await this.db.vServer.findMany({ where: { id: { in: ids } }, select: { id: true, ...serverStatusSelect } });
    const found = new Map(rows.map((r) => [r.id, serverStatusOf(r)]));
    for (const id of ids) {
      const status = found.get(id) ?? null;
      const key = JSON.stringify(status);
      if (!this.servers.has(id) || this.servers.get(id) === key) continue;
      this.servers.set(id, key);
      this.send({ type: "server.state", serverId: id, status });
    }
  }
}
