/**
 * A quick change made while the person waits (an address added, sliders moved) that is
 * still a job: it shows in the server's history with its outcome, and while it runs the
 * reconciler leaves the server alone (it skips servers with a running job), so it never
 * sees the change half made and "corrects" it back. The job is claimed by this panel
 * instance with a lease; if the instance dies, the job runner takes it over when the
 * lease runs out and ends it as interrupted (the reconciler then finds what is left).
 */
import type { Db } from "@/lib/db/client";
import { appendJobLines } from "./job-log";

/** The job's identity. */
export interface InlineJob {
  type: string;
  vserverId: string;
  hostId: string;
  createdById: string | null;
  payload?: Record<string, unknown>;
}

/** Lease of an inline job: well beyond what such a change takes. */
const LEASE_MS = 120_000;

/** Runs `work` as a RUNNING job of this instance; the job ends SUCCEEDED with `work`'s log line, or FAILED with its error. */
export async function runInlineJob<T>(db: Db, job: InlineJob, work: () => Promise<{ result: T; line: string }>): Promise<T> {
  const row = await db.job.create({
    data: {
      type: job.type,
      state: "RUNNING",
      payload: JSON.stringify(job.payload ?? {}),
      vserverId: job.vserverId,
      hostId: job.hostId,
      createdById: job.createdById,
      runnerId: `inline-${process.pid}`,
      leaseUntil: new Date(Date.now() + LEASE_MS),
      attempts: 1,
      startedAt: new Date(),
    },
  });
  try {
    const { result, line } = await work();
    await appendJobLines(db, row.id, [line]);
    await db.job.update({ where: { id: row.id }, data: { state: "SUCCEEDED", progress: 100, finishedAt: new Date(), leaseUntil: null } });
    return result;
  } catch (error) {
    const message = (error as Error)?.message ?? String(error);
    await appendJobLines(db, row.id, [`failed: ${message}`]).catch(() => undefined);
    await db.job.update({ where: { id: row.id }, data: { state: "FAILED", error: message, finishedAt: new Date(), leaseUntil: null } }).catch(() => undefined);
    throw error;
  }
}

/** The handler of an inline job the runner took over after its instance died: it is not resumed. */
export async function interruptedInlineJob(): Promise<never> {
  throw new Error("the panel instance that made this change stopped before it ended; the reconciler has checked the server since");
}
