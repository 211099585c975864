/** Whether a guest path names a regular file itself (not through a final symlink). */
import { constants as C, fstatat } from "@/native";
import { IN_ROOT } from "./guest-path";
import { withPathFd } from "./with-path-fd";

/** True when `guestPath` (parents resolved inside the root, the last part not followed) is a regular file. */
export function isGuestRegularFile(rootFd: number, guestPath: string): boolean {
  return withPathFd(rootFd, guestPath, IN_ROOT, (fd) => fstatat(fd, "", C.AT_EMPTY_PATH).type === "file") ?? false;
}
