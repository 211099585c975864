/**
 * Tags a directory, or a whole existing guest tree, with a project id. A new server
 * needs only its empty root tagged (PROJINHERIT hands the id to everything created
 * below); the walk is for adopting a tree that exists already.
 *
 * The walk uses fds only (SECURITY.md rule 1): each entry is opened O_PATH without
 * following anything, beneath its parent, never across a mount (RESOLVE_NO_XDEV plus
 * an st_dev check); its type is read from that fd; only directories and regular files
 * are then reopened through /proc/self/fd (the same inode, so a guest swapping the name
 * for a FIFO or a device meanwhile gains nothing), and never a FIFO, socket, device or
 * symlink. Those keep their old id: they hold no data blocks, only an inode each.
 */
import { closeSync } from "node:fs";
import { constants as C, fstatat, isNativeError, openat2, readdir } from "@/native";
import type { QuotaLayer } from "./quota-layer";
import { BENEATH } from "../../guestfs/guest-path";

/** Deeper directories are counted, not walked: one fd per level must stay bounded. */
export const MAX_TREE_DEPTH = 256;

/** What a walk did and left. */
export interface AssignResult {
  /** Directories and files now carrying the id. */
  tagged: number;
  /** Symlinks, FIFOs, sockets and devices (not opened). */
  skippedSpecial: number;
  /** Mount points met (not entered). */
  skippedMounts: number;
  /** Directories below {@link MAX_TREE_DEPTH}. */
  skippedDeep: number;
  /** Entries the kernel refused to retag (immutable files, for instance). */
  failed: number;
}

/** Sets the project id of an open directory or file; directories also get PROJINHERIT. */
export function tagFd(quota: QuotaLayer, fd: number, projid: number, isDir: boolean): void {
  const x = quota.getFsxattr(fd).xflags;
  const xflags = isDir ? x | C.FS_XFLAG_PROJINHERIT : x;
  quota.setFsxattr(fd, { projid, xflags: xflags >>> 0 });
}

function walk(quota: QuotaLayer, dirfd: number, dev: number, projid: number, depth: number, out: AssignResult): void {
  for (const entry of readdir(dirfd)) {
    let pathFd: number;
    try {
      pathFd = openat2(dirfd, entry.name, C.O_PATH | C.O_NOFOLLOW, 0, BENEATH);
    } catch (e) {
      if (isNativeError(e, "EXDEV")) out.skippedMounts++;
      else if (!isNativeError(e, "ENOENT")) out.failed++; // gone meanwhile: nothing to tag
      continue;
    }
    try {
      const st = fstatat(pathFd, "", C.AT_EMPTY_PATH);
      if (st.dev !== dev) {
        out.skippedMounts++;
        continue;
      }
      if (st.type !== "dir" && st.type !== "file") {
        out.skippedSpecial++;
        continue;
      }
      if (st.type === "dir" && depth >= MAX_TREE_DEPTH) {
        out.skippedDeep++;
        continue;
      }
      const flags = st.type === "dir" ? C.O_RDONLY | C.O_DIRECTORY : C.O_RDONLY | C.O_NONBLOCK | C.O_NOCTTY;
      const fd = openat2(C.AT_FDCWD, `/proc/self/fd/${pathFd}`, flags);
      try {
        try {
          tagFd(quota, fd, projid, st.type === "dir");
          out.tagged++;
        } catch (e) {
          if (!isNativeError(e)) throw e;
          out.failed++;
        }
        if (st.type === "dir") walk(quota, fd, dev, projid, depth + 1, out);
      } finally {
        closeSync(fd);
      }
    } finally {
      closeSync(pathFd);
    }
  }
}

/** Tags `rootFd` (a directory opened O_RDONLY) and everything beneath it on the same filesystem. */
export function assignProjectTree(quota: QuotaLayer, rootFd: number, projid: number): AssignResult {
  const out: AssignResult = { tagged: 0, skippedSpecial: 0, skippedMounts: 0, skippedDeep: 0, failed: 0 };
  tagFd(quota, rootFd, projid, true);
  out.tagged++;
  walk(quota, rootFd, fstatat(rootFd, "", C.AT_EMPTY_PATH).dev, projid, 1, out);
  return out;
}
