/**
 * Serializes network changes per server inside the agent: an addAddress racing a detach
 * would otherwise leave the state file, the nft set and the kernel disagreeing.
 */
const tails = new Map<number, Promise<unknown>>();

/** Runs `work` after every earlier call for the same ctx has settled. */
export async function withCtxLock<T>(ctx: number, work: () => Promise<T>): Promise<T> {
  const previous = tails.get(ctx) ?? Promise.resolve();
  const run = previous.catch(() => undefined).then(work);
  const tail = run.catch(() => undefined);
  tails.set(ctx, tail);
  try {
    return await run;
  } finally {
    if (tails.get(ctx) === tail) tails.delete(ctx);
  }
}
