/**
 * Creates a tree beneath a new root by fds: every parent is resolved with
 * RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_XDEV, so a symlink that an archive
 * (or a copied server) put earlier in the tree is never followed, not even one that
 * points inside. Owners, modes (after chown, which clears set-id bits), mtimes and
 * xattrs are set through fds of the created inodes; directory mtimes last, as tar does.
 * Used by template extraction and by server copies.
 */
import { chmodSync, closeSync, fchmodSync, fchownSync, futimesSync, utimesSync, writeSync } from "node:fs";
import { constants as C, fchownat, fstatat, isNativeError, linkat, mkdirat, mknodat, openat2, symlinkat, unlinkat } from "@/native";
import { setXattrsOnFd } from "./xattrs";
import { BENEATH } from "../../kernel/guestfs/guest-path";


/** Metadata of a created entry. */
export interface EntryMeta {
  mode: number;
  uid: number;
  gid: number;
  /** Seconds since the epoch. */
  mtime: number;
  xattrs?: Map<string, Buffer>;
}

/** Counts of what was made. */
export interface BuildCounts {
  dirs: number;
  files: number;
  bytes: number;
  symlinks: number;
  hardlinks: number;
  nodes: number;
  xattrs: number;
}

const SLASH = 0x2f;

function split(rel: Buffer): { parent: Buffer; base: Buffer } {
  const i = rel.lastIndexOf(SLASH);
  return i < 0 ? { parent: Buffer.alloc(0), base: rel } : { parent: rel.subarray(0, i), base: rel.subarray(i + 1) };
}

const dot = (p: Buffer) => (p.length === 0 ? "." : p);

/** Builds a tree under `rootFd` (an O_PATH directory fd the caller owns). */
export class TreeBuilder {
  private readonly dirFds = new Map<string, number>();
  private readonly dirTimes: [Buffer, number][] = [];
  readonly counts: BuildCounts = { dirs: 0, files: 0, bytes: 0, symlinks: 0, hardlinks: 0, nodes: 0, xattrs: 0 };

  constructor(private readonly rootFd: number) {}

  /** O_PATH fd of directory `rel` (created with 0755 like tar when missing); cached. */
  dir(rel: Buffer): number {
    const key = rel.toString("latin1");
    const hit = this.dirFds.get(key);
    if (hit !== undefined) return hit;
    let fd: number;
    try {
      fd = openat2(this.rootFd, dot(rel), C.O_PATH | C.O_DIRECTORY, 0, BENEATH);
    } catch (e) {
      if (!isNativeError(e, "ENOENT") || rel.length === 0) throw e;
      const { parent, base } = split(rel);
      try {
        mkdirat(this.dir(parent), base, 0o755);
      } catch (err) {
        if (!isNativeError(err, "EEXIST")) throw err;
      }
      fd = openat2(this.rootFd, rel, C.O_PATH | C.O_DIRECTORY, 0, BENEATH);
    }
    if (this.dirFds.size >= 256) this.dropCache();
    this.dirFds.set(key, fd);
    return fd;
  }

  private dropCache(): void {
    for (const fd of this.dirFds.values()) closeSync(fd);
    this.dirFds.clear();
  }

  /** Removes whatever non-directory sits at the name (a duplicate member replaces it). */
  private clear(dirfd: number, base: Buffer): void {
    try {
      const st = fstatat(dirfd, base, C.AT_SYMLINK_NOFOLLOW);
      if (st.type === "dir") throw Object.assign(new Error(`"${base.toString("latin1")}" is a directory, cannot replace it`), { code: "EISDIR" });
      unlinkat(dirfd, base, 0);
    } catch (e) {
      if (!isNativeError(e, "ENOENT")) throw e;
    }
  }

  /** Makes (or updates) directory `rel`; the root itself is "". */
  mkdir(rel: Buffer, meta: EntryMeta): void {
    if (rel.length > 0) {
      const { parent, base } = split(rel);
      const pfd = this.dir(parent);
      try {
        mkdirat(pfd, base, 0o700);
        this.counts.dirs++;
      } catch (e) {
        if (!isNativeError(e, "EEXIST")) throw e;
        if (fstatat(pfd, base, C.AT_SYMLINK_NOFOLLOW).type !== "dir") {
          this.clear(pfd, base);
          mkdirat(pfd, base, 0o700);
          this.counts.dirs++;
        }
      }
    }
    const fd = openat2(this.rootFd, dot(rel), C.O_RDONLY | C.O_DIRECTORY | C.O_NOFOLLOW, 0, BENEATH);
    try {
      this.setMeta(fd, meta, false);
    } finally {
      closeSync(fd);
    }
    this.dirTimes.push([Buffer.from(rel), meta.mtime]);
  }

  /** Creates regular file `rel`; `fill` writes its data through the fd (and returns the bytes). */
  file(rel: Buffer, meta: EntryMeta, fill: (fd: number) => number): void {
    const { parent, base } = split(rel);
    const pfd = this.dir(parent);
    this.clear(pfd, base);
    const fd = openat2(pfd, base, C.O_WRONLY | C.O_CREAT | C.O_EXCL | C.O_NOFOLLOW, 0o600, BENEATH);
    try {
      this.counts.bytes += fill(fd);
      this.setMeta(fd, meta, true);
    } finally {
      closeSync(fd);
    }
    this.counts.files++;
  }

  /** An open file being filled piecewise (tar data arrives in chunks). */
  openFile(rel: Buffer): { fd: number; write(chunk: Buffer): void; close(meta: EntryMeta): void } {
    const { parent, base } = split(rel);
    const pfd = this.dir(parent);
    this.clear(pfd, base);
    const fd = openat2(pfd, base, C.O_WRONLY | C.O_CREAT | C.O_EXCL | C.O_NOFOLLOW, 0o600, BENEATH);
    let closed = false;
    return {
      fd,
      write: (chunk) => {
        for (let off = 0; off < chunk.length; ) off += writeSync(fd, chunk, off, chunk.length - off);
        this.counts.bytes += chunk.length;
      },
      close: (meta) => {
        if (closed) return;
        closed = true;
        try {
          this.setMeta(fd, meta, true);
        } finally {
          closeSync(fd);
        }
        this.counts.files++;
      },
    };
  }

  /** Creates symlink `rel` → `target` (stored, never resolved). */
  symlink(rel: Buffer, target: Buffer, meta: EntryMeta): void {
    const { parent, base } = split(rel);
    const pfd = this.dir(parent);
    this.clear(pfd, base);
    symlinkat(target, pfd, base);
    fchownat(pfd, base, meta.uid, meta.gid, C.AT_SYMLINK_NOFOLLOW);
    this.counts.symlinks++;
  }

  /** Hard link `rel` to the already created `target` (both relative to the root). */
  hardlink(rel: Buffer, target: Buffer): void {
    const t = split(target);
    const { parent, base } = split(rel);
    const pfd = this.dir(parent);
    const tfd = this.dir(t.parent);
    const st = fstatat(tfd, t.base, C.AT_SYMLINK_NOFOLLOW);
    if (st.type === "dir") throw Object.assign(new Error(`hard link to a directory: ${target.toString("latin1")}`), { code: "EPERM" });
    this.clear(pfd, base);
    linkat(tfd, t.base, pfd, base, 0);
    this.counts.hardlinks++;
  }

  /** A device node or FIFO (never opened: its mode is set through an O_PATH fd). */
  node(rel: Buffer, type: "char" | "block" | "fifo", meta: EntryMeta, major = 0, minor = 0): void {
    const { parent, base } = split(rel);
    const pfd = this.dir(parent);
    this.clear(pfd, base);
    const fmt = type === "char" ? C.S_IFCHR : type === "block" ? C.S_IFBLK : C.S_IFIFO;
    mknodat(pfd, base, fmt | 0o600, major, minor);
    const fd = openat2(pfd, base, C.O_PATH | C.O_NOFOLLOW, 0, BENEATH);
    try {
      fchownat(fd, "", meta.uid, meta.gid, C.AT_EMPTY_PATH);
      // chmod and utimes follow the magic link to this very inode without opening it
      // (mknod's mode was umask-filtered).
      chmodSync(`/proc/self/fd/${fd}`, meta.mode & 0o7777);
      utimesSync(`/proc/self/fd/${fd}`, meta.mtime, meta.mtime);
    } finally {
      closeSync(fd);
    }
    this.counts.nodes++;
  }

  private setMeta(fd: number, meta: EntryMeta, isFile: boolean): void {
    fchownSync(fd, meta.uid, meta.gid);
    fchmodSync(fd, meta.mode & 0o7777);
    if (meta.xattrs?.size) this.counts.xattrs += setXattrsOnFd(fd, meta.xattrs);
    if (isFile) futimesSync(fd, meta.mtime, meta.mtime);
  }

  /** Sets directory mtimes (children changed them) and closes cached fds. */
  finish(): void {
    this.dropCache();
    for (const [rel, mtime] of this.dirTimes.reverse()) {
      try {
        const fd = openat2(this.rootFd, dot(rel), C.O_RDONLY | C.O_DIRECTORY | C.O_NOFOLLOW, 0, BENEATH);
        try {
          futimesSync(fd, mtime, mtime);
        } finally {
          closeSync(fd);
        }
      } catch {
        // A directory replaced later in the archive: its time does not matter.
      }
    }
    this.dirTimes.length = 0;
  }

  /** Closes cached fds without finishing (after a failure). */
  abort(): void {
    this.dropCache();
  }
}

