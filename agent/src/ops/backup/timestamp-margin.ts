/**
 * From when a change in a guest tree counts as one for the copy passes of a backup
 * (reflink-root-copy.ts): a margin before the time a pass began, since the kernel stamps
 * ctime with its coarse clock (up to a jiffy, at most 10 ms, behind the clock we read)
 * truncated to the filesystem's granularity. Where the tree's timestamps carry
 * nanoseconds the margin is 50 ms; where they are whole seconds (ext4 with 128-byte
 * inodes, which mkfs.ext4 makes on small images) it is the whole second down and one more.
 */
import fs from "node:fs";

/** The margin where timestamps have nanoseconds: several jiffies even at HZ=100. */
export const FINE_MARGIN_MS = 50;

/** True when the filesystem under `dir` keeps sub-second timestamps (its own ctime has a fraction). */
export function keepsSubsecondTimes(dir: string): boolean {
  // A filesystem of whole seconds stores 0 ns always; a fine one stores 0 ns only by a
  // one-in-many-millions chance, and then merely gets the wider margin.
  return fs.statSync(dir, { bigint: true }).ctimeNs % 1_000_000_000n !== 0n;
}

/** Seconds since the epoch (fractional) from which a change in `dir`'s tree counts, for a pass beginning at `nowMs`. */
export function changesCountFrom(dir: string, nowMs: number): number {
  if (keepsSubsecondTimes(dir)) return (nowMs - FINE_MARGIN_MS) / 1000;
  return Math.floor(nowMs / 1000) - 1;
}
