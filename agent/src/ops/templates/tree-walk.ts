/**
 * Walks a (guest) tree by fds, pre-order, names sorted: every child is looked at with
 * fstatat(AT_SYMLINK_NOFOLLOW) beneath its parent's fd; directories are entered through
 * openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_XDEV) and checked to be the
 * inode that was stat'ed; mount points are not entered; a symlink is reported as such
 * and never followed; FIFOs and devices are reported, never opened. Regular files are
 * opened only through {@link openRegular}: O_PATH first, type and inode checked, then
 * reopened through our own fd, so a name swapped for a FIFO or device is never opened.
 */
import { closeSync } from "node:fs";
import { constants as C, fstatat, openat2, readdir, type NativeStat } from "@/native";
import { BENEATH } from "../../kernel/guestfs/guest-path";
import { withPathFd } from "../../kernel/guestfs/with-path-fd";

/** One entry met by the walk. */
export interface WalkedEntry {
  /** Path relative to the root ("" for the root itself), raw bytes. */
  rel: Buffer;
  st: NativeStat;
  /** O_PATH fd of the parent directory (the root's own fd for the root), valid during the visit. */
  dirfd: number;
  /** Name beneath `dirfd` ("." for the root). */
  name: Buffer;
}

/** Options of {@link walkTree}. */
export interface WalkOptions {
  /** Refuse deeper trees (each level holds one fd). Default 256. */
  maxDepth?: number;
  /** Called for what is left out (mount points, entries that changed meanwhile). */
  onSkip?: (rel: Buffer, why: string) => void;
  /** Return true to leave a directory's contents out (the directory itself is visited). */
  prune?: (e: WalkedEntry) => boolean;
}

const join = (a: Buffer, b: Buffer) => (a.length ? Buffer.concat([a, Buffer.from("/"), b]) : Buffer.from(b));

/** Visits the root and everything under it. `visit` may be async (backpressure). */
export async function walkTree(rootFd: number, visit: (e: WalkedEntry) => unknown, opts: WalkOptions = {}): Promise<void> {
  const maxDepth = opts.maxDepth ?? 256;
  const rootSt = fstatat(rootFd, "", C.AT_EMPTY_PATH);
  if (rootSt.type !== "dir") throw Object.assign(new Error("the tree's root is not a directory"), { code: "ENOTDIR" });
  const root: WalkedEntry = { rel: Buffer.alloc(0), st: rootSt, dirfd: rootFd, name: Buffer.from(".") };
  await visit(root);
  if (opts.prune?.(root)) return;
  await walkDir(rootFd, Buffer.alloc(0), 1);

  async function walkDir(dirfd: number, rel: Buffer, depth: number): Promise<void> {
    if (depth > maxDepth) throw Object.assign(new Error(`${rel.toString("latin1")}: deeper than ${maxDepth} levels`), { code: "ELOOP" });
    const names = readdir(dirfd).map((d) => d.name).sort(Buffer.compare);
    for (const name of names) {
      const childRel = join(rel, name);
      let st: NativeStat;
      try {
        st = fstatat(dirfd, name, C.AT_SYMLINK_NOFOLLOW);
      } catch {
        opts.onSkip?.(childRel, "vanished during the walk");
        continue;
      }
      if (st.dev !== rootSt.dev) {
        opts.onSkip?.(childRel, "a mount point (another filesystem)");
        continue;
      }
      const entry: WalkedEntry = { rel: childRel, st, dirfd, name };
      await visit(entry);
      if (st.type !== "dir" || opts.prune?.(entry)) continue;
      let sub: number;
      try {
        sub = openat2(dirfd, name, C.O_PATH | C.O_DIRECTORY | C.O_NOFOLLOW, 0, BENEATH);
      } catch {
        opts.onSkip?.(childRel, "changed during the walk");
        continue;
      }
      try {
        if (fstatat(sub, "", C.AT_EMPTY_PATH).ino !== st.ino) {
          opts.onSkip?.(childRel, "changed during the walk");
          continue;
        }
        await walkDir(sub, childRel, depth + 1);
      } finally {
        closeSync(sub);
      }
    }
  }
}

/**
 * Opens the regular file `name` beneath `dirfd` for reading, or returns null when it is
 * no longer the regular file with inode `ino` (the caller skips it).
 */
export function openRegular(dirfd: number, name: Buffer | string, ino: bigint): number | null {
  return withPathFd(dirfd, name, BENEATH, (pfd) => {
    const st = fstatat(pfd, "", C.AT_EMPTY_PATH);
    if (st.type !== "file" || st.ino !== ino) return null;
    return openat2(C.AT_FDCWD, `/proc/self/fd/${pfd}`, C.O_RDONLY | C.O_NOCTTY | C.O_NONBLOCK | C.O_NOATIME);
  });
}
