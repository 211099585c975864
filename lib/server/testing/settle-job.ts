/**
 * Runs a job to its end in a test: the test's own job runner is ticked until the job has
 * succeeded or failed (then its row is returned), at most `rounds` looks 100 ms apart.
 */
import type { Db } from "@/lib/db/client";
import type { JobRunner } from "@/lib/server/jobs/job-runner";

/** The job's row once it ended; throws when it did not end in time. */
export async function settleJob(runner: JobRunner, db: Db, jobId: string, rounds = 3000) {
  for (let i = 0; i < rounds; i++) {
    await runner.tick();
    await runner.idle();
    const job = await db.job.findUniqueOrThrow({ where: { id: jobId } });
    if (job.state === "SUCCEEDED" || job.state === "FAILED") return job;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`job ${jobId} did not finish`);
}
