/**
 * Runs queued jobs in the panel process. Several panel instances may run side by side:
 * a job is claimed by a conditional update (only one instance wins) and held by a
 * lease that a heartbeat extends; when an instance dies, its lease runs out and another
 * (or the restarted one) takes the job over and resumes it. Jobs of one server run one
 * at a time, in the order they were queued.
 */
import crypto from "node:crypto";
import type { Db } from "@/lib/db/client";
import { agentForHost } from "@/lib/server/hosts/agent-for-host";
import { releaseAddresses } from "@/lib/server/ip-pools/allocate-addresses";
import type { JobContext } from "./job-context";
import { appendJobLines } from "./job-log";
import { jobKinds } from "./handlers";
import { recordEvent } from "@/lib/server/events/record-event";
import { observeJob } from "@/lib/server/metrics/panel-metrics";

/** Runner settings. */
export interface RunnerOptions {
  concurrency?: number;
  leaseMs?: number;
  pollMs?: number;
  /** Attempts after which a job that keeps losing its runner is failed. */
  maxAttempts?: number;
}

/** The job runner of one panel process. */
export class JobRunner {
  readonly id = `runner-${process.pid}-${crypto.randomBytes(3).toString("hex")}`;
  private timer: NodeJS.Timeout | null = null;
  private running = new Map<string, Promise<void>>();
  private ticking = false;
  private readonly opts: Required<RunnerOptions>;

  constructor(
    private readonly db: Db,
    options: RunnerOptions = {},
  ) {
    this.opts = { concurrency: 4, leaseMs: 30_000, pollMs: 500, maxAttempts: 3, ...options };
  }

  /** Starts polling for work. */
  start(): void {
    this.timer ??= setInterval(() => void this.tick(), this.opts.pollMs);
  }

  /** Stops taking new work; running jobs keep their lease until it runs out. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Waits until no job runs in this process (tests). */
  async idle(): Promise<void> {
    while (this.running.size) await Promise.all([...this.running.values()]);
  }

  /** One pass: claim and start what fits. */
  async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      await this.sweepAbandonedBuilds();
      const now = new Date();
      const candidates = await this.db.job.findMany({
        where: { OR: [{ state: "QUEUED" }, { state: "RUNNING", leaseUntil: { lt: now } }] },
        orderBy: { createdAt: "asc" },
        take: 20,
      });
      for (const job of candidates) {
        if (this.running.size >= this.opts.concurrency) break;
        // Its own job is never taken over by this runner, even with its lease run out (a
        // heartbeat that could not be written in time): it would run twice at once.
        if (this.running.has(job.id)) continue;
        if (job.vserverId && (await this.serverBusy(job.vserverId, job.id, job.createdAt))) continue;
        const claimed = await this.db.job.updateMany({
          where: { id: job.id, state: job.state, leaseUntil: job.leaseUntil },
          data: { state: "RUNNING", runnerId: this.id, leaseUntil: new Date(Date.now() + this.opts.leaseMs), attempts: { increment: 1 }, startedAt: job.startedAt ?? new Date() },
        });
        if (claimed.count !== 1) continue;
        const run = this.run(job.id).finally(() => this.running.delete(job.id));
        this.running.set(job.id, run);
      }
    } catch (error) {
      console.error("job runner tick failed", error);
    } finally {
      this.ticking = false;
    }
  }

  /** True while another job of the same server is running or was queued earlier. */
  private async serverBusy(vserverId: string, jobId: string, createdAt: Date): Promise<boolean> {
    const other = await this.db.job.count({
      where: {
        vserverId,
        id: { not: jobId },
        OR: [{ state: "RUNNING", leaseUntil: { gte: new Date() } }, { state: "QUEUED", createdAt: { lt: createdAt } }],
      },
    });
    return other > 0;
  }

  private async run(jobId: string): Promise<void> {
    const job = await this.db.job.findUniqueOrThrow({ where: { id: jobId }, include: { host: true } });
    const kind = jobKinds[job.type];
    const heartbeat = setInterval(() => {
      this.db.job.updateMany({ where: { id: jobId, runnerId: this.id }, data: { leaseUntil: new Date(Date.now() + this.opts.leaseMs) } }).catch((error: unknown) => console.error(`job ${jobId}: the lease could not be extended`, error));
    }, this.opts.leaseMs / 3);
    const ctx: JobContext = {
      db: this.db,
      job,
      payload: JSON.parse(job.payload) as Record<string, unknown>,
      agent: () => {
        if (!job.host) throw new Error("this job has no host");
        return agentForHost(job.host);
      },
      log: async (...lines) => {
        await appendJobLines(this.db, jobId, lines);
      },
      progress: async (percent) => {
        await this.db.job.update({ where: { id: jobId }, data: { progress: percent } });
      },
      setAgentOperation: async (id) => {
        await this.db.job.update({ where: { id: jobId }, data: { agentOperationId: id } });
        ctx.job.agentOperationId = id;
      },
    };
    try {
      if (!kind) throw new Error(`unknown job type ${job.type}`);
      if (job.attempts > this.opts.maxAttempts) throw new Error(`gave up after ${job.attempts - 1} interrupted attempts`);
      if (job.attempts > 1) await ctx.log(`resuming after an interruption (attempt ${job.attempts})`);
      const result = await kind.run(ctx);
      await this.finish(jobId, "SUCCEEDED", { result: JSON.stringify(result ?? {}) });
    } catch (error) {
      const message = (error as Error).message || String(error);
      await ctx.log(`failed: ${message}`).catch(() => undefined);
      try {
        await kind?.undo?.(ctx);
      } catch (undoError) {
        await ctx.log(`clean-up failed: ${(undoError as Error).message}`).catch(() => undefined);
      }
      await this.db.vServer.updateMany({ where: { id: job.vserverId ?? "" }, data: { lastError: message } }).catch(() => undefined);
      await this.restoreServerState(job.vserverId);
      await this.finish(jobId, "FAILED", { error: message }, { vserverId: job.vserverId, jobType: job.type });
    } finally {
      clearInterval(heartbeat);
    }
  }

  private async finish(jobId: string, state: "SUCCEEDED" | "FAILED", data: { result?: string; error?: string }, failed?: { vserverId: string | null; jobType: string }): Promise<void> {
    const job = await this.db.job.findUniqueOrThrow({ where: { id: jobId } });
    // Secrets sealed into the payload (a root password) are not kept once the job ended.
    const payload = JSON.parse(job.payload) as Record<string, unknown>;
    delete payload.sealedRootPassword;
    await this.db.$transaction(async (tx) => {
      await tx.job.update({
        where: { id: jobId },
        data: { state, ...data, progress: state === "SUCCEEDED" ? 100 : job.progress, finishedAt: new Date(), leaseUntil: null, payload: JSON.stringify(payload) },
      });
      observeJob(job.type, state, job.startedAt ? (Date.now() - job.startedAt.getTime()) / 1000 : 0);
      // A failed job is an event (in the same transaction as its end).
      if (failed) await recordEvent(tx, { type: "job.failed", vserverId: failed.vserverId, data: { jobType: failed.jobType, jobId, error: data.error ?? "" } });
    });
  }

  /** After a failed start/stop, the server's state is read back from its host. */
  private async restoreServerState(vserverId: string | null): Promise<void> {
    if (!vserverId) return;
    const server = await this.db.vServer.findUnique({ where: { id: vserverId }, include: { host: true } });
    if (!server || !["STARTING", "STOPPING", "DELETING"].includes(server.state)) return;
    const info = await agentForHost(server.host, 5000)
      .getVserver({ name: server.name })
      .catch(() => null);
    await this.db.vServer.update({ where: { id: vserverId }, data: { state: info ? (info.state === "running" ? "RUNNING" : "STOPPED") : "ERROR" } });
  }

  /** Server rows left BUILDING without a job (a crash between row and job) are removed with their addresses. */
  private async sweepAbandonedBuilds(): Promise<void> {
    const stale = await this.db.vServer.findMany({
      where: { state: "BUILDING", createdAt: { lt: new Date(Date.now() - 5 * 60_000) }, jobs: { none: {} } },
      include: { addresses: true },
      take: 20,
    });
    for (const s of stale) {
      await releaseAddresses(this.db, s.addresses.map((a) => a.id));
      await this.db.vServer.delete({ where: { id: s.id } }).catch(() => undefined);
    }
  }
}
