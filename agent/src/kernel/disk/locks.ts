/**
 * Serializes disk changes inside the agent: per server (a grow racing a release would
 * resize a file being deleted) and per host for project-id allocation (two creates must
 * not pick the same free id). Other processes (a second agent on the same prefixes) are
 * not covered; one agent per host is the rule.
 */
const tails = new Map<string, Promise<unknown>>();

async function withLock<T>(key: string, work: () => Promise<T>): Promise<T> {
  const previous = tails.get(key) ?? Promise.resolve();
  const run = previous.catch(() => undefined).then(work);
  const tail = run.catch(() => undefined);
  tails.set(key, tail);
  try {
    return await run;
  } finally {
    if (tails.get(key) === tail) tails.delete(key);
  }
}

/** Runs `work` after every earlier disk change of the same server (by root path) has settled. */
export function withAreaLock<T>(root: string, work: () => Promise<T>): Promise<T> {
  return withLock(`area:${root}`, work);
}

/** Runs `work` alone among project-id allocations on this config dir. */
export function withAllocationLock<T>(confDir: string, work: () => Promise<T>): Promise<T> {
  return withLock(`projid:${confDir}`, work);
}
