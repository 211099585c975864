/** Polling for kernel state that has no cheap notification from Node (frozen, empty). */
import { setTimeout as sleep } from "node:timers/promises";
import { AgentFailure } from "../../errors";

/** How long freeze, thaw and kill wait for the kernel before giving up. */
export const settleTimeoutMs = 10_000;

/**
 * Calls `check` until it returns true, sleeping a little longer each time (1 ms up to
 * 50 ms); throws BUSY with `what` when `timeoutMs` passes.
 */
export async function waitFor(
  check: () => Promise<boolean>,
  what: string,
  timeoutMs = settleTimeoutMs,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 1; ; delay = Math.min(delay * 2, 50)) {
    if (await check()) return;
    if (Date.now() > deadline) throw new AgentFailure("BUSY", `${what} did not happen within ${timeoutMs} ms`);
    await sleep(delay);
  }
}

/** process.kill that ignores processes already gone. */
export function signalPid(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
  }
}
