/**
 * The job runner's settings from the environment. The lease is how long a dead panel
 * instance's job waits before another instance takes it over (the heartbeat renews it
 * every third of it): 30 s by default; shorter takes over sooner but gives a stalled
 * instance (a long GC pause, a slow database) less slack before it loses its job.
 */
import type { RunnerOptions } from "./job-runner";

/** The runner's lease from JOB_LEASE_MS (≥ 1000 ms), default 30 s; a bad value is refused. */
export function jobRunnerOptions(env: Record<string, string | undefined> = process.env): RunnerOptions {
  const raw = env.JOB_LEASE_MS?.trim();
  if (!raw) return {};
  const leaseMs = Number(raw);
  if (!Number.isInteger(leaseMs) || leaseMs < 1000) throw new Error(`JOB_LEASE_MS must be a whole number of milliseconds, at least 1000; got "${raw}"`);
  return { leaseMs };
}
