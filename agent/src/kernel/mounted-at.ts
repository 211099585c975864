/**
 * Whether something is mounted exactly on a directory, and with which per-mount options:
 * the checks before an unmount loop (backup views, rescue roots) and after a mount that
 * must be read-only or nosymfollow. Read from this process's mountinfo (disk/mounts.ts);
 * the directory is compared as resolved, as mount(8) records it.
 */
import fs from "node:fs";
import { mountAt, readMounts } from "./disk/mounts";

/** True when something is mounted exactly on `dir` (mountinfo's octal escapes honoured). */
export function mountedAt(dir: string): boolean {
  return mountOptionsAt(dir) !== null;
}

/** The per-mount options (ro, nosymfollow, …) of the topmost mount exactly on `dir`; null: nothing is mounted there. */
export function mountOptionsAt(dir: string): string[] | null {
  // mountinfo names the resolved path (mount(8) resolves it): a root directory reached
  // through a symlink (/vservers -> /var/lib/vservers) must be compared as resolved.
  let real = dir;
  try {
    real = fs.realpathSync(dir);
  } catch {
    // gone: compared as given
  }
  return mountAt(readMounts(), real)?.options ?? null;
}
