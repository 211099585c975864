/**
 * The ops' side of per-server disk limits (kernel/disk): whether a server has a disk
 * area, and its mode. The disk layer keeps its own record in `dlimits/` (util-vserver's
 * name); `limits/disk` and `limits/inodes` mirror the limits for `vlimit` and the API.
 */
import fs from "node:fs";
import path from "node:path";
import type { HostPaths } from "../../config/paths";
import type { DiskEnvOptions } from "../../kernel/disk";

/** The mode of the server's disk area, or "none" when it was built without a disk limit. */
export function diskModeOf(paths: HostPaths, name: string): "project" | "loop" | "none" {
  try {
    const mode = fs.readFileSync(path.join(paths.confDir, name, "dlimits", "mode"), "utf8").trim();
    return mode === "project" || mode === "loop" ? mode : "none";
  } catch {
    return "none";
  }
}

/** Whether anything of a disk area exists (also an unfinished one, which release cleans). */
export function hasDiskRecord(paths: HostPaths, name: string): boolean {
  return fs.existsSync(path.join(paths.confDir, name, "dlimits"));
}

/** The disk layer's environment for these host paths. */
export function diskEnvOf(paths: HostPaths): DiskEnvOptions {
  return { env: { paths } };
}
