/** Directories inside a guest tree, resolved beneath the root fd (`mkdir -p`). */
import { closeSync, fchmodSync, fchownSync } from "node:fs";
import { constants as C, isNativeError, mkdirat, openat2 } from "@/native";
import { guestPathParts, IN_ROOT, STRICT } from "./guest-path";

/** Options for created directories (existing ones are left as they are). */
export interface MkdirOptions {
  mode?: number;
  uid?: number;
  gid?: number;
}

/**
 * O_PATH fd of the directory at `path`, following symlinks only inside the root. With
 * `create`, missing components are made like `mkdir -p`. The caller closes the fd.
 */
export function openGuestDir(rootFd: number, path: string, create: MkdirOptions | false = false): number {
  const parts = guestPathParts(path);
  let cur = openat2(rootFd, ".", C.O_PATH | C.O_DIRECTORY, 0, IN_ROOT);
  try {
    for (let i = 0; i < parts.length; i++) {
      const prefix = "/" + parts.slice(0, i + 1).join("/");
      let next: number;
      try {
        next = openat2(rootFd, prefix, C.O_PATH | C.O_DIRECTORY, 0, IN_ROOT);
      } catch (e) {
        if (!create || !isNativeError(e, "ENOENT")) throw e;
        next = makeDir(cur, parts[i] as string, create);
      }
      closeSync(cur);
      cur = next;
    }
    const fd = cur;
    cur = -1;
    return fd;
  } finally {
    if (cur >= 0) closeSync(cur);
  }
}

/** Creates one directory beneath `dirfd` and returns its O_PATH fd, with the mode and
 * owner set through an fd of the new directory itself (not by a path to swap). */
function makeDir(dirfd: number, name: string, o: MkdirOptions): number {
  let created = true;
  try {
    mkdirat(dirfd, name, 0o700);
  } catch (e) {
    // Someone (the guest) made it meanwhile: use it, but do not take it over.
    if (!isNativeError(e, "EEXIST")) throw e;
    created = false;
  }
  const fd = openat2(dirfd, name, C.O_RDONLY | C.O_DIRECTORY | C.O_NOFOLLOW, 0, STRICT);
  try {
    if (created) {
      fchownSync(fd, o.uid ?? 0, o.gid ?? 0);
      fchmodSync(fd, o.mode ?? 0o755);
    }
    return openat2(fd, ".", C.O_PATH | C.O_DIRECTORY, 0, STRICT);
  } finally {
    closeSync(fd);
  }
}

/** `mkdir -p` inside the guest. */
export function mkdirGuest(rootFd: number, path: string, opts: MkdirOptions = {}): void {
  closeSync(openGuestDir(rootFd, path, opts));
}
