/**
 * Shifts the ownership of a whole tree once (SECURITY.md rule 1: by fds only), for a
 * server whose root cannot be idmapped: its files are then owned by the server's host
 * range on disk, and its user namespace sees them as 0... The walk (templates/tree-walk.ts)
 * follows nothing, crosses no mount and opens no FIFO or device; each entry is changed
 * through an O_PATH fd of its own, checked to be the inode the walk saw.
 *
 * chown(2) drops what a plain shift would lose, so it is put back: setuid/setgid bits of
 * regular files (cleared by every chown, also root's) and file capabilities (removed by
 * it; written again as v3 with the shifted root id). POSIX ACLs survive a chown but name
 * ids, so their named entries are shifted too. Ids outside the range stay as they are.
 */
import { chmodSync, closeSync } from "node:fs";
import { constants as C, fchownat, fdGetxattr, fdSetxattr, fstatat, openat2 } from "@/native";
import { BENEATH } from "../../kernel/guestfs/guest-path";
import { walkTree, type WalkedEntry } from "../templates/tree-walk";
import { ID_XATTRS, shiftId, type IdShift } from "./id-shift";

/** What a shift did. */
export interface ShiftCounts {
  /** Entries whose owner or group changed. */
  shifted: number;
  /** Entries with ids outside the range, left alone. */
  outside: number;
  /** xattrs rewritten (capabilities, ACLs). */
  xattrs: number;
  skipped: number;
}

function shiftEntry(e: WalkedEntry, s: IdShift, counts: ShiftCounts): void {
  const uid = shiftId(e.st.uid, s);
  const gid = shiftId(e.st.gid, s);
  if (uid === null && gid === null) {
    counts.outside++;
    return;
  }
  if (e.st.type === "symlink") {
    fchownat(e.dirfd, e.name, uid ?? -1, gid ?? -1, C.AT_SYMLINK_NOFOLLOW);
    counts.shifted++;
    return;
  }
  let fd: number;
  try {
    fd = openat2(e.dirfd, e.name, C.O_PATH | C.O_NOFOLLOW, 0, BENEATH);
  } catch {
    counts.skipped++;
    return;
  }
  try {
    const st = fstatat(fd, "", C.AT_EMPTY_PATH);
    if (st.ino !== e.st.ino || st.dev !== e.st.dev) {
      counts.skipped++;
      return;
    }
    // Only files and directories carry capabilities or ACLs worth keeping.
    const keep = st.type === "file" || st.type === "dir" ? Object.keys(ID_XATTRS).map((name) => [name, fdGetxattr(fd, name)] as const) : [];
    fchownat(fd, "", uid ?? -1, gid ?? -1, C.AT_EMPTY_PATH);
    counts.shifted++;
    if (st.type === "file" && (st.mode & 0o6000) !== 0) chmodSync(`/proc/self/fd/${fd}`, st.mode & 0o7777);
    for (const [name, value] of keep) {
      if (value === null) continue;
      fdSetxattr(fd, name, ID_XATTRS[name]!(value, s));
      counts.xattrs++;
    }
  } finally {
    closeSync(fd);
  }
}

/** Shifts every id of the tree under `rootFd` in [from, from+count) to [to, …). */
export async function shiftOwnership(rootFd: number, s: IdShift, onSkip?: (rel: Buffer, why: string) => void): Promise<ShiftCounts> {
  const counts: ShiftCounts = { shifted: 0, outside: 0, xattrs: 0, skipped: 0 };
  if (s.from === s.to) return counts;
  await walkTree(rootFd, (e) => shiftEntry(e, s, counts), {
    onSkip: (rel, why) => {
      counts.skipped++;
      onSkip?.(rel, why);
    },
  });
  return counts;
}
