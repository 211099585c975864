/**
 * What an io limits write covers on both cgroup versions: the target devices, and the
 * devices the previous limits listed that the target drops, with every limit cleared
 * (a device not listed is unlimited, so its old limits must not stay behind).
 */
import type { IoLimit } from "./types";

/** The dropped devices (all four limits null) first, then the target's devices. */
export function ioLimitsToWrite(target: readonly IoLimit[], previous: readonly IoLimit[]): IoLimit[] {
  const listed = new Set(target.map((limit) => limit.device));
  const cleared = previous
    .filter((limit) => !listed.has(limit.device))
    .map((limit) => ({ device: limit.device, readBps: null, writeBps: null, readIops: null, writeIops: null }));
  return [...cleared, ...target];
}
