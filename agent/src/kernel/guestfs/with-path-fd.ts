/**
 * Looks at one name beneath a directory fd without following a final symlink and without
 * opening the file itself: an O_PATH fd is safe on a fifo or a device, and its fstat says
 * what the name is at the moment it was resolved.
 */
import { closeSync } from "node:fs";
import { constants as C, openat2, type NativePath } from "@/native";

/**
 * Runs `look` on an O_PATH|O_NOFOLLOW fd of `name` (resolved with `resolve`, e.g. IN_ROOT
 * or BENEATH) and closes it; null when the name cannot be resolved (gone, or outside).
 */
export function withPathFd<T>(dirfd: number, name: NativePath, resolve: number, look: (fd: number) => T): T | null {
  let fd: number;
  try {
    fd = openat2(dirfd, name, C.O_PATH | C.O_NOFOLLOW, 0, resolve);
  } catch {
    return null;
  }
  try {
    return look(fd);
  } finally {
    closeSync(fd);
  }
}
