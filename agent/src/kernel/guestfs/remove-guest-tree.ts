/**
 * Deletes a subtree of a guest (for `vserver NAME delete`), walking with fds only:
 * nothing is followed (a symlink is unlinked, never entered), mount points are left
 * alone (RESOLVE_NO_XDEV plus an st_dev check), and a guest that swaps entries during
 * the walk only makes us retry. Very deep trees are flattened by renaming deep
 * directories up into the top directory, so the walk holds at most MAX_DEPTH fds.
 */
import { closeSync } from "node:fs";
import { constants as C, fstatat, isNativeError, openat2, readdir, renameat2, unlinkat } from "@/native";
import { IN_ROOT, splitGuestPath, STRICT, tempName } from "./guest-path";

const MAX_DEPTH = 64;
const RETRIES = 8;

/** What was left in place. */
export interface RemoveResult {
  /** Mount points met in the tree (names relative to their parent directory). */
  skippedMounts: string[];
}

interface Walk {
  dev: number;
  topFd: number;
  result: RemoveResult;
  /** Names we renamed into the top directory, still to remove. */
  moved: string[];
}

function clearDir(fd: number, depth: number, w: Walk, passes: number): void {
  // Entries kept on purpose (mount points, or directories holding one) are not retried.
  const kept = new Set<string>();
  for (let pass = 0; pass < passes; pass++) {
    const entries = readdir(fd).filter((e) => !kept.has(e.name.toString("latin1")));
    if (entries.length === 0) return;
    for (const e of entries) {
      const before = w.result.skippedMounts.length;
      removeEntry(fd, e.name, depth + 1, w);
      if (w.result.skippedMounts.length > before) kept.add(e.name.toString("latin1"));
    }
  }
  // Still not empty: the guest keeps adding; the caller's rmdir reports it.
}

function removeEntry(dirfd: number, name: Buffer, depth: number, w: Walk): void {
  for (let attempt = 0; attempt < RETRIES; attempt++) {
    try {
      unlinkat(dirfd, name, 0);
      return;
    } catch (e) {
      if (isNativeError(e, "ENOENT")) return;
      if (!isNativeError(e, "EISDIR")) throw e;
    }
    if (depth > MAX_DEPTH && dirfd !== w.topFd) {
      try {
        const moved = tempName();
        renameat2(dirfd, name, w.topFd, moved, C.RENAME_NOREPLACE);
        w.moved.push(moved);
        return;
      } catch (e) {
        if (isNativeError(e, "ENOENT")) return;
        if (!isNativeError(e, "EXDEV") && !isNativeError(e, "EBUSY")) throw e;
      }
    }
    let sub: number;
    try {
      sub = openat2(dirfd, name, C.O_RDONLY | C.O_DIRECTORY | C.O_NOFOLLOW, 0, STRICT | C.RESOLVE_NO_XDEV);
    } catch (e) {
      if (isNativeError(e, "ENOENT")) return;
      if (isNativeError(e, "ELOOP") || isNativeError(e, "ENOTDIR")) continue; // swapped: unlink again
      if (isNativeError(e, "EXDEV")) {
        w.result.skippedMounts.push(name.toString("utf8"));
        return;
      }
      throw e;
    }
    const skippedBefore = w.result.skippedMounts.length;
    try {
      if (fstatat(sub, "", C.AT_EMPTY_PATH).dev !== w.dev) {
        w.result.skippedMounts.push(name.toString("utf8"));
        return;
      }
      clearDir(sub, depth, w, RETRIES);
    } finally {
      closeSync(sub);
    }
    // A mount point below keeps this directory (and its parents) alive on purpose.
    if (w.result.skippedMounts.length > skippedBefore) return;
    try {
      unlinkat(dirfd, name, C.AT_REMOVEDIR);
      return;
    } catch (e) {
      if (isNativeError(e, "ENOENT")) return;
      if (isNativeError(e, "EBUSY")) {
        w.result.skippedMounts.push(name.toString("utf8"));
        return;
      }
      if (!isNativeError(e, "ENOTEMPTY") && !isNativeError(e, "EEXIST")) throw e;
    }
  }
  throw Object.assign(new Error(`EAGAIN: guest tree keeps changing, unlinkat '${name.toString("utf8")}'`), {
    code: "EAGAIN",
  });
}

/**
 * Removes `path` (and everything below it) inside the guest. For "/" the root's
 * contents are removed and the root directory itself stays (the caller removes that
 * host directory).
 */
export function removeGuestTree(rootFd: number, path: string): RemoveResult {
  const result: RemoveResult = { skippedMounts: [] };
  if (path.split("/").every((p) => p === "" || p === ".")) {
    const top = openat2(rootFd, ".", C.O_RDONLY | C.O_DIRECTORY, 0, IN_ROOT);
    try {
      const w: Walk = { dev: fstatat(top, "", C.AT_EMPTY_PATH).dev, topFd: top, result, moved: [] };
      clearDir(top, 0, w, 4096);
    } finally {
      closeSync(top);
    }
    return result;
  }
  const { parent, base } = splitGuestPath(path);
  const dirfd = openat2(rootFd, parent, C.O_RDONLY | C.O_DIRECTORY, 0, IN_ROOT);
  try {
    return removeGuestEntryAt(dirfd, base);
  } finally {
    closeSync(dirfd);
  }
  return result;
}

/** Removes the entry `name` of the directory `dirfd` (an fd the caller resolved), with
 * the same rules as {@link removeGuestTree}. */
export function removeGuestEntryAt(dirfd: number, name: string | Buffer): RemoveResult {
  const result: RemoveResult = { skippedMounts: [] };
  const w: Walk = { dev: fstatat(dirfd, "", C.AT_EMPTY_PATH).dev, topFd: dirfd, result, moved: [] };
  removeEntry(dirfd, typeof name === "string" ? Buffer.from(name) : name, 1, w);
  // Deep directories were renamed into `dirfd` under our temp names: remove those.
  while (w.moved.length > 0) removeEntry(dirfd, Buffer.from(w.moved.pop() as string), 1, w);
  return result;
}
