/**
 * A tree as a tar stream, walked by fds (tree-walk.ts): directories, regular files (read
 * through an fd checked to be the stat'ed inode), symlinks as links (never followed),
 * FIFOs and device nodes as nodes (never opened), hard links once with their data and
 * then as links. Sockets cannot be archived and are left out. Owners are numeric.
 */
import { closeSync, readSync } from "node:fs";
import { readlinkat } from "@/native";
import { encodeHeader, padding, TAR_END, type TarHeader, type TarType } from "./tar-format";
import { openRegular, walkTree, type WalkedEntry } from "./tree-walk";
import type { TreeXattrs } from "./xattrs";
import { shiftId, shiftXattrMap, type IdShift } from "../userns/id-shift";

/** What was archived. */
export interface TarCounts {
  entries: number;
  bytes: number;
  skipped: number;
}

/** Options of {@link writeTreeTar}. */
export interface WriteTarOptions {
  xattrs?: TreeXattrs | null;
  onSkip?: (rel: Buffer, why: string) => void;
  /** Leave this directory's contents out (e.g. the template store itself). */
  prune?: (e: WalkedEntry) => boolean;
  /** Called every ~64 MiB of data with the bytes so far. */
  onBytes?: (bytes: number) => void;
  /** Owners (and ids in capabilities and ACLs) as archived: a shifted root's ids go back to 0... */
  idShift?: IdShift;
  /** Which entries go into the archive (all when not given); every entry is offered, the walk goes on below a directory left out. */
  select?: (e: WalkedEntry) => boolean;
  /**
   * The tree is in use (a running server's root, a pre-copy round): a file that shrinks
   * while it is read is padded with zeros to its stat'ed size instead of failing the
   * archive (its ctime moved, so the next round sends it again).
   */
  live?: boolean;
}

const CHUNK = 1 << 20;

/** Writes the tree under `rootFd` to `write` as tar (with the end marker). */
export async function writeTreeTar(rootFd: number, write: (b: Buffer) => Promise<void>, opts: WriteTarOptions = {}): Promise<TarCounts> {
  const counts: TarCounts = { entries: 0, bytes: 0, skipped: 0 };
  const links = new Map<string, Buffer>();
  const skip = (rel: Buffer, why: string) => {
    counts.skipped++;
    opts.onSkip?.(rel, why);
  };
  let reported = 0;
  await walkTree(
    rootFd,
    async (e) => {
      if (opts.select && !opts.select(e)) return;
      const st = e.st;
      const shift = opts.idShift;
      const xattrs = opts.xattrs?.get(e.rel.toString("latin1")) ?? new Map<string, Buffer>();
      const base = {
        path: e.rel,
        mode: st.mode & 0o7777,
        uid: shift ? (shiftId(st.uid, shift) ?? st.uid) : st.uid,
        gid: shift ? (shiftId(st.gid, shift) ?? st.gid) : st.gid,
        size: 0,
        mtime: Math.floor(st.mtimeMs / 1000),
        linkname: Buffer.alloc(0),
        devmajor: 0,
        devminor: 0,
        xattrs: shift && xattrs.size ? shiftXattrMap(xattrs, shift) : xattrs,
      };
      const emit = async (type: TarType, extra: Partial<TarHeader> = {}) => {
        await write(encodeHeader({ ...base, type, ...extra }));
        counts.entries++;
      };
      switch (st.type) {
        case "dir":
          return emit("dir");
        case "symlink":
          return emit("symlink", { linkname: readlinkat(e.dirfd, e.name, true), xattrs: new Map() });
        case "fifo":
          return emit("fifo");
        case "char":
        case "block":
          return emit(st.type, { devmajor: st.rdevMajor, devminor: st.rdevMinor });
        case "file": {
          const key = `${st.dev}:${st.ino}`;
          const first = st.nlink > 1 ? links.get(key) : undefined;
          if (first) return emit("hardlink", { linkname: first });
          const fd = openRegular(e.dirfd, e.name, st.ino);
          if (fd === null) return skip(e.rel, "changed during the export");
          try {
            await emit("file", { size: st.size });
            await copyData(fd, st.size, write, e.rel, opts.live === true);
          } finally {
            closeSync(fd);
          }
          if (st.nlink > 1) links.set(key, e.rel);
          counts.bytes += st.size;
          if (counts.bytes - reported >= 64 << 20) {
            reported = counts.bytes;
            opts.onBytes?.(counts.bytes);
          }
          return;
        }
        default:
          return skip(e.rel, `a ${st.type} cannot be archived`);
      }
    },
    { onSkip: skip, prune: opts.prune },
  );
  await write(TAR_END);
  return counts;
}

/** Exactly `size` bytes of the file (zeros past a live file's new end), then the block padding. */
async function copyData(fd: number, size: number, write: (b: Buffer) => Promise<void>, rel: Buffer, live: boolean): Promise<void> {
  let left = size;
  let pos = 0;
  while (left > 0) {
    const buf = Buffer.allocUnsafe(Math.min(CHUNK, left));
    const n = readSync(fd, buf, 0, buf.length, pos);
    if (n === 0 && live) {
      await write(Buffer.alloc(buf.length));
      left -= buf.length;
      pos += buf.length;
      continue;
    }
    if (n === 0) throw Object.assign(new Error(`${rel.toString("latin1")} shrank while it was archived`), { code: "EAGAIN" });
    await write(n === buf.length ? buf : buf.subarray(0, n));
    left -= n;
    pos += n;
  }
  const pad = padding(size);
  if (pad) await write(Buffer.alloc(pad));
}
