/**
 * Reads a regular file inside a guest tree with a size cap. The name is opened O_PATH
 * first and checked to be a regular file, then reopened through our own fd, so a FIFO
 * (which would block), a device (whose open has side effects) or a swapped name is never
 * opened for reading.
 */
import { closeSync, fstatSync, readSync } from "node:fs";
import { constants as C, fstatat, openat2 } from "@/native";
import { IN_ROOT } from "./guest-path";

/** Size cap and symlink handling of {@link readGuestFile}. */
export interface ReadOptions {
  /** Refuse files larger than this (EFBIG); default 1 MiB. */
  maxBytes?: number;
  /** Follow a final symlink (inside the root only). Default false: ELOOP. */
  followSymlinks?: boolean;
}

function fail(code: string, path: string, what: string): never {
  throw Object.assign(new Error(`${code}: ${what}, read '${path}'`), { code, syscall: "read", path });
}

/** Contents of the regular file at `path` in the guest. */
export function readGuestFile(rootFd: number, path: string, opts: ReadOptions = {}): Buffer {
  const max = opts.maxBytes ?? 1 << 20;
  const pfd = openat2(rootFd, path, C.O_PATH | (opts.followSymlinks ? 0 : C.O_NOFOLLOW), 0, IN_ROOT);
  try {
    const st = fstatat(pfd, "", C.AT_EMPTY_PATH);
    if (st.type === "symlink") fail("ELOOP", path, "is a symlink");
    if (st.type === "dir") fail("EISDIR", path, "is a directory");
    if (st.type !== "file") fail("EINVAL", path, `is a ${st.type}, not a regular file`);
    if (st.size > max) fail("EFBIG", path, "file too large");
    // Reopen the very inode we checked (a magic link of our own fd, on the host's /proc).
    const fd = openat2(C.AT_FDCWD, `/proc/self/fd/${pfd}`, C.O_RDONLY | C.O_NONBLOCK | C.O_NOCTTY);
    try {
      const st2 = fstatSync(fd, { bigint: true });
      if (!st2.isFile() || st2.ino !== st.ino) fail("EAGAIN", path, "file changed while opening");
      const buf = Buffer.alloc(max + 1);
      let n = 0;
      for (;;) {
        const r = readSync(fd, buf, n, buf.length - n, null);
        if (r === 0) break;
        n += r;
        if (n > max) fail("EFBIG", path, "file too large");
      }
      return buf.subarray(0, n);
    } finally {
      closeSync(fd);
    }
  } finally {
    closeSync(pfd);
  }
}
