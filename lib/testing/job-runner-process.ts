/**
 * A panel's job runner in a process of its own, for tests that kill the panel (kill -9)
 * in the middle of a job: started with `fork(…, { execArgv: ["--import", "tsx"] })` and
 * the test's DATABASE_URL and NEXTAUTH_SECRET, it runs jobs until it is killed and says
 * "ready" once polling. A short lease (JOB_LEASE_MS) lets the next runner take a killed
 * one's job over within seconds, as a restarted panel does after its lease.
 */
import { createDb } from "@/lib/db/client";
import { JobRunner } from "@/lib/server/jobs/job-runner";

const runner = new JobRunner(createDb(), { leaseMs: Number(process.env.JOB_LEASE_MS) || 3_000, pollMs: 200 });
runner.start();
process.send?.({ type: "ready" });
process.on("disconnect", () => process.exit(0));
