/**
 * Copies a stopped server's tree into a new root, by fds on both sides (tree-walk.ts
 * reads, tree-builder.ts writes): regular files share their extents with FICLONE where
 * the filesystem can (XFS with reflink, btrfs; both roots on one filesystem) and are
 * copied byte by byte otherwise; symlinks are copied as links, device nodes and FIFOs
 * re-made with mknod, hard links kept, owners, modes, mtimes and xattrs preserved.
 */
import { closeSync, readSync, writeSync } from "node:fs";
import { ficlone, isNativeError, readlinkat } from "@/native";
import { AgentFailure } from "../../errors";
import { TreeBuilder, type BuildCounts, type EntryMeta } from "./tree-builder";
import { openRegular, walkTree } from "./tree-walk";
import type { TreeXattrs } from "./xattrs";

/** What a copy did. */
export interface CopyCounts extends BuildCounts {
  /** Files whose data was shared by FICLONE, and the bytes they hold. */
  reflinkedFiles: number;
  reflinkedBytes: number;
  skipped: number;
}

/** Options of {@link copyTree}. */
export interface CopyOptions {
  /** "never" copies the bytes even where FICLONE works (the benchmark's baseline). */
  reflink?: "auto" | "never";
  xattrs?: TreeXattrs | null;
  onSkip?: (rel: Buffer, why: string) => void;
  onBytes?: (bytes: number) => void;
  signal?: AbortSignal;
}

const CHUNK = 1 << 20;

function copyBytes(src: number, dst: number, size: number): number {
  const buf = Buffer.allocUnsafe(Math.min(CHUNK, Math.max(size, 1)));
  let pos = 0;
  for (;;) {
    const n = readSync(src, buf, 0, buf.length, pos);
    if (n === 0) return pos;
    for (let off = 0; off < n; ) off += writeSync(dst, buf, off, n - off);
    pos += n;
  }
}

/** Copies the tree under `srcFd` into the (empty) tree under `dstFd`. */
export async function copyTree(srcFd: number, dstFd: number, opts: CopyOptions = {}): Promise<CopyCounts> {
  const b = new TreeBuilder(dstFd);
  let canClone = opts.reflink !== "never";
  const extra = { reflinkedFiles: 0, reflinkedBytes: 0, skipped: 0 };
  const links = new Map<string, Buffer>();
  let reported = 0;
  const skip = (rel: Buffer, why: string) => {
    extra.skipped++;
    opts.onSkip?.(rel, why);
  };
  try {
    await walkTree(
      srcFd,
      (e) => {
        if (opts.signal?.aborted) throw new AgentFailure("INTERNAL", "interrupted");
        const st = e.st;
        const meta: EntryMeta = { mode: st.mode, uid: st.uid, gid: st.gid, mtime: Math.floor(st.mtimeMs / 1000), xattrs: opts.xattrs?.get(e.rel.toString("latin1")) };
        switch (st.type) {
          case "dir":
            return b.mkdir(e.rel, meta);
          case "symlink":
            return b.symlink(e.rel, readlinkat(e.dirfd, e.name, true), meta);
          case "fifo":
          case "char":
          case "block":
            return b.node(e.rel, st.type, meta, st.rdevMajor, st.rdevMinor);
          case "file": {
            const key = `${st.dev}:${st.ino}`;
            const first = st.nlink > 1 ? links.get(key) : undefined;
            if (first) return b.hardlink(e.rel, first);
            const src = openRegular(e.dirfd, e.name, st.ino);
            if (src === null) return skip(e.rel, "changed during the copy");
            try {
              b.file(e.rel, meta, (dst) => {
                if (canClone && st.size > 0) {
                  try {
                    ficlone(dst, src);
                    extra.reflinkedFiles++;
                    extra.reflinkedBytes += st.size;
                    return st.size;
                  } catch (err) {
                    // Another filesystem, or one without reflinks: copy from now on.
                    if (!["EXDEV", "EOPNOTSUPP", "EINVAL", "ENOTTY", "ENOSYS"].some((c) => isNativeError(err, c))) throw err;
                    canClone = false;
                  }
                }
                return copyBytes(src, dst, st.size);
              });
            } finally {
              closeSync(src);
            }
            if (st.nlink > 1) links.set(key, e.rel);
            if (b.counts.bytes - reported >= 64 << 20) {
              reported = b.counts.bytes;
              opts.onBytes?.(b.counts.bytes);
            }
            return;
          }
          default:
            return skip(e.rel, `a ${st.type} is not copied`);
        }
      },
      { onSkip: skip },
    );
    b.finish();
  } catch (e) {
    b.abort();
    throw e;
  }
  return { ...b.counts, ...extra };
}
