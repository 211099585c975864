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

const pollMs = 500;

/** The watches of one socket. */
export class SocketWatches {
  private jobs = new Map<string, { seq: number; last: string }>();
  private servers = new Map<string, string>();
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
    this.servers.set(serverId, "");
    this.ensureTimer();
    await this.pollServer(serverId);
  }

  /** Stops watching a job. */
  unwatchJob(jobId: string): void {
    this.jobs.delete(jobId);
  }

  /** Stops watching a server. */
  unwatchServer(serverId: string): void {
    this.servers.delete(serverId);
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
      await Promise.all([...[...this.jobs.keys()].map((id) => this.pollJob(id)), ...[...this.servers.keys()].map((id) => this.pollServer(id))]);
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

  private async pollServer(serverId: string): Promise<void> {
    if (!this.servers.has(serverId)) return;
    const s = await this.db.vServer.findUnique({ where: { id: serverId }, select: { state: true, suspended: true, lastError: true } });
    const key = s ? `${s.state}|${s.suspended}|${s.lastError ?? ""}` : "gone";
    if (this.servers.get(serverId) === key) return;
    this.servers.set(serverId, key);
    this.send({ type: "server.state", serverId, state: s?.state ?? "DELETED", suspended: s?.suspended ?? false, lastError: s?.lastError ?? null });
  }
}
