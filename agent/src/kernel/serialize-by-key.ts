/**
 * Serializes work inside the agent by a key: each call runs after every earlier call
 * with the same key has settled (failed or not). The disk's per-server and project-id
 * locks and the network's per-ctx and address locks are keys of this one queue. Other
 * processes are not covered (ops/locks.ts is for those).
 */
const tails = new Map<string, Promise<unknown>>();

/** Runs `work` after every earlier call for `key` has settled. */
export async function serializeByKey<T>(key: string, work: () => Promise<T>): Promise<T> {
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
