/**
 * Writes a file inside a guest tree (e.g. /etc/hostname) without ever following what
 * the guest planted there: the parent is resolved beneath the root, the data goes to a
 * fresh temp file (O_CREAT|O_EXCL|O_NOFOLLOW) and is renamed over the name. Whatever was
 * at the name (a symlink to /etc/shadow of the host, a FIFO, a device, a directory) is
 * replaced, never opened.
 */
import { closeSync, fchmodSync, fchownSync, fsyncSync, writeSync } from "node:fs";
import { constants as C, isNativeError, openat2, renameat2, unlinkat } from "@/native";
import { splitGuestPath, STRICT, tempName } from "./guest-path";
import { openGuestDir, type MkdirOptions } from "./mkdir-guest";
import { removeGuestEntryAt } from "./remove-guest-tree";

/** Mode and owner of the written file; `mkdirs` creates missing parents. */
export interface WriteOptions {
  mode?: number;
  uid?: number;
  gid?: number;
  mkdirs?: MkdirOptions | boolean;
  /** fsync before the rename (for files that must survive a crash). */
  sync?: boolean;
}

function writeAll(fd: number, data: Buffer): void {
  let off = 0;
  while (off < data.length) off += writeSync(fd, data, off, data.length - off);
}

/** Atomically replaces `path` in the guest with `data`. */
export function writeGuestFile(rootFd: number, path: string, data: string | Buffer, opts: WriteOptions = {}): void {
  const { parent, base } = splitGuestPath(path);
  const mk = opts.mkdirs === true ? {} : opts.mkdirs || false;
  const dirfd = openGuestDir(rootFd, parent, mk);
  const tmp = tempName();
  let created = false;
  try {
    const fd = openat2(dirfd, tmp, C.O_WRONLY | C.O_CREAT | C.O_EXCL | C.O_NOFOLLOW, 0o600, STRICT);
    created = true;
    try {
      writeAll(fd, typeof data === "string" ? Buffer.from(data, "utf8") : data);
      fchownSync(fd, opts.uid ?? 0, opts.gid ?? 0);
      fchmodSync(fd, opts.mode ?? 0o644);
      if (opts.sync) fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    replaceWith(dirfd, tmp, base);
    created = false;
  } finally {
    if (created) {
      try { unlinkat(dirfd, tmp, 0); } catch { /* best effort */ }
    }
    closeSync(dirfd);
  }
}

/**
 * rename(tmp → base) in one directory; a directory in the way is removed (fd walk) and
 * the rename retried. Shared with ensureGuestSymlink.
 */
export function replaceWith(dirfd: number, tmp: string, base: string): void {
  for (let attempt = 0; attempt < 4; attempt++) {
    try {
      renameat2(dirfd, tmp, dirfd, base, 0);
      return;
    } catch (e) {
      if (!isNativeError(e, "EISDIR") && !isNativeError(e, "ENOTEMPTY") && !isNativeError(e, "EEXIST")) throw e;
    }
    removeGuestEntryAt(dirfd, base);
  }
  throw Object.assign(new Error(`EAGAIN: cannot replace '${base}' in the guest`), { code: "EAGAIN" });
}
