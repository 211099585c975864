/** Makes `path` in the guest a symlink to `target` (e.g. /etc/mtab -> /proc/mounts),
 * replacing whatever is there by an atomic rename. The target is stored, never resolved. */
import { closeSync } from "node:fs";
import { fchownat, constants as C, isNativeError, readlinkat, symlinkat, unlinkat } from "@/native";
import { splitGuestPath, tempName } from "./guest-path";
import { openGuestDir } from "./mkdir-guest";
import { replaceWith } from "./write-guest-file";

/** Owner of a created link and whether to create missing parents. */
export interface SymlinkOptions {
  uid?: number;
  gid?: number;
  mkdirs?: boolean;
}

/** Ensures the link exists with this target; returns false when it already did. */
export function ensureGuestSymlink(rootFd: number, path: string, target: string, opts: SymlinkOptions = {}): boolean {
  const { parent, base } = splitGuestPath(path);
  const dirfd = openGuestDir(rootFd, parent, opts.mkdirs ? {} : false);
  try {
    try {
      if (readlinkat(dirfd, base) === target) return false;
    } catch (e) {
      if (!isNativeError(e, "EINVAL") && !isNativeError(e, "ENOENT")) throw e;
    }
    const tmp = tempName();
    symlinkat(target, dirfd, tmp);
    try {
      if (opts.uid !== undefined || opts.gid !== undefined)
        fchownat(dirfd, tmp, opts.uid ?? -1, opts.gid ?? -1, C.AT_SYMLINK_NOFOLLOW);
      replaceWith(dirfd, tmp, base);
    } catch (e) {
      try { unlinkat(dirfd, tmp, 0); } catch { /* best effort */ }
      throw e;
    }
    return true;
  } finally {
    closeSync(dirfd);
  }
}
