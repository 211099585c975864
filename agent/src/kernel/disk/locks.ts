/**
 * Serializes disk changes inside the agent: per server (a grow racing a release would
 * resize a file being deleted) and per host for project-id allocation (two creates must
 * not pick the same free id). Other processes (a second agent on the same prefixes) are
 * not covered; one agent per host is the rule.
 */
import { serializeByKey } from "../serialize-by-key";

/** Runs `work` after every earlier disk change of the same server (by root path) has settled. */
export function withAreaLock<T>(root: string, work: () => Promise<T>): Promise<T> {
  return serializeByKey(`area:${root}`, work);
}

/** Runs `work` alone among project-id allocations on this config dir. */
export function withAllocationLock<T>(confDir: string, work: () => Promise<T>): Promise<T> {
  return serializeByKey(`projid:${confDir}`, work);
}
