/**
 * Whether a directory's filesystem takes idmapped mounts (mount_setattr
 * MOUNT_ATTR_IDMAP): ext4, XFS, btrfs, tmpfs, f2fs, FAT, overlayfs and more do on this
 * kernel; NFS, ramfs and some others do not. Asked of the kernel itself, through
 * `vs-start --probe-idmap` (a namespace operation needs a single-threaded process).
 */
import { spawnSync } from "node:child_process";
import { helperPath } from "@/native";

/** True when `dir` can be the root of a server with an idmapped root mount. */
export function idmapSupported(dir: string): boolean {
  const r = spawnSync(helperPath("vs-start"), ["--probe-idmap", dir], { encoding: "utf8", stdio: ["ignore", "ignore", "pipe"] });
  if (r.status === 0) return true;
  if (r.status === 3) return false;
  throw Object.assign(new Error(`cannot tell whether ${dir} takes idmapped mounts: ${r.error?.message ?? r.stderr.trim()}`), { code: "EIO" });
}
