/** Queues a job; the runner (lib/server/jobs/job-runner) picks it up within a second. */
import type { Db } from "@/lib/db/client";

/** What to queue. */
export interface NewJob {
  type: string;
  payload?: Record<string, unknown>;
  vserverId?: string | null;
  hostId?: string | null;
  createdById?: string | null;
}

/** Creates a QUEUED job and returns its id. */
export async function createJob(db: Pick<Db, "job">, job: NewJob): Promise<string> {
  const row = await db.job.create({
    data: {
      type: job.type,
      payload: JSON.stringify(job.payload ?? {}),
      vserverId: job.vserverId ?? null,
      hostId: job.hostId ?? null,
      createdById: job.createdById ?? null,
    },
  });
  return row.id;
}
