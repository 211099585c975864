/**
 * Takes an exclusive flock(2) on an open fd, waiting up to a deadline: the one wait that
 * the agent's cross-process locks (per server, the context ids, the host-wide registry)
 * share. It polls with LOCK_NB and backs off from 2 to 50 ms, because a blocking flock
 * would stall the event loop.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { constants as C, flock, isNativeError } from "@/native";

/** Locks `fd` now (exclusive, or `shared`) if no one holds it against that; false when another holder has it. */
export function tryFlock(fd: number, shared = false): boolean {
  try {
    flock(fd, (shared ? C.LOCK_SH : C.LOCK_EX) | C.LOCK_NB);
    return true;
  } catch (e) {
    if (isNativeError(e, "EAGAIN")) return false;
    throw e;
  }
}

/** Locks `fd`, waiting until `deadline` (a Date.now() time); false when it stayed taken. */
export async function flockBy(fd: number, deadline: number): Promise<boolean> {
  for (let delay = 2; !tryFlock(fd); delay = Math.min(delay * 2, 50)) {
    if (Date.now() >= deadline) return false;
    await sleep(delay);
  }
  return true;
}
