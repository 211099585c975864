/**
 * Gives a host-private directory (a restore's stage or new root, never a guest path) the
 * owner, mode and, when asked, the times of another directory, by fds and without
 * following a link at the end.
 */
import { closeSync, fchmodSync, fchownSync, futimesSync } from "node:fs";
import { constants as C, fstatat, openat2 } from "@/native";

/** Copies `fromFd`'s owner and mode (and times, with `times`) onto the directory at `toPath`. */
export function giveDirMetadata(fromFd: number, toPath: string, opts: { times?: boolean } = {}): void {
  const st = fstatat(fromFd, "", C.AT_EMPTY_PATH);
  const to = openat2(C.AT_FDCWD, toPath, C.O_RDONLY | C.O_DIRECTORY | C.O_NOFOLLOW);
  try {
    fchownSync(to, st.uid, st.gid);
    fchmodSync(to, st.mode & 0o7777);
    if (opts.times) futimesSync(to, st.mtimeMs / 1000, st.mtimeMs / 1000);
  } finally {
    closeSync(to);
  }
}
