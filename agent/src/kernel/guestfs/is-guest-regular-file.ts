/** Whether a guest path names a regular file itself (not through a final symlink). */
import { closeSync } from "node:fs";
import { constants as C, fstatat, openat2 } from "@/native";
import { IN_ROOT } from "./guest-path";

/** True when `guestPath` (parents resolved inside the root, the last part not followed) is a regular file. */
export function isGuestRegularFile(rootFd: number, guestPath: string): boolean {
  let fd: number;
  try {
    fd = openat2(rootFd, guestPath, C.O_PATH | C.O_NOFOLLOW, 0, IN_ROOT);
  } catch {
    return false;
  }
  try {
    return fstatat(fd, "", C.AT_EMPTY_PATH).type === "file";
  } finally {
    closeSync(fd);
  }
}
