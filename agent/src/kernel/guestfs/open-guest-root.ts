/** Opens a guest root once; every other guestfs call resolves beneath this fd. */
import { constants as C, openat2 } from "@/native";

/**
 * O_PATH directory fd of the guest root at `hostPath` (a trusted host path from the
 * agent's config; resolve util-vserver's `vdir` link before). The caller closes it.
 */
export function openGuestRoot(hostPath: string): number {
  if (!hostPath.startsWith("/")) throw new TypeError(`guest root must be absolute: ${hostPath}`);
  return openat2(C.AT_FDCWD, hostPath, C.O_PATH | C.O_DIRECTORY | C.O_NOFOLLOW);
}
