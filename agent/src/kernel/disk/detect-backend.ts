/** Gathers the facts about the roots' filesystem and asks decide-mode.ts for the mode. */
import { closeSync, existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { constants as C, isNativeError, openat2 } from "@/native";
import { AgentFailure } from "../../errors";
import { decideDiskMode, type HostDiskFacts } from "./decide-mode";
import { diskEnv } from "./env";
import { readKernelConfig } from "./kernel-config";
import { mountHolding, readMounts } from "./mounts";
import type { QuotaLayer } from "./project/quota-layer";
import { toolPath, type HostTool } from "../run-tool";
import type { DiskBackendInfo, DiskEnvOptions } from "./types";

const loopTools: HostTool[] = ["mkfs.ext4", "e2fsck", "resize2fs", "dumpe2fs", "losetup", "mount", "umount"];

/** The directory itself, or its nearest existing parent (the roots' dir may not exist yet). */
function existingDir(dir: string): string {
  let d = path.resolve(dir);
  while (!existsSync(d) && d !== "/") d = path.dirname(d);
  return d;
}

/** "on", or the errno code of Q_GETINFO (ESRCH: quota of that type is off). */
export function projectQuotaState(quota: QuotaLayer, dir: string): string {
  let fd: number;
  try {
    fd = openat2(C.AT_FDCWD, dir, C.O_RDONLY | C.O_DIRECTORY);
  } catch (e) {
    return isNativeError(e) ? e.code : "EIO";
  }
  try {
    quota.info(fd);
    return "on";
  } catch (e) {
    if (isNativeError(e)) return e.code;
    throw e;
  } finally {
    closeSync(fd);
  }
}

/** Collects {@link HostDiskFacts} for the filesystem holding `rootDir`. */
export function gatherDiskFacts(rootDir: string, quota: QuotaLayer): HostDiskFacts {
  const dir = existingDir(rootDir);
  const mount = mountHolding(readMounts(), dir);
  if (!mount) throw new AgentFailure("KERNEL", `no mount holds ${dir} in /proc/self/mountinfo`);
  let missingTool: string | undefined;
  for (const tool of loopTools) {
    try {
      toolPath(tool);
    } catch (e) {
      missingTool ??= e instanceof Error ? e.message : String(e);
    }
  }
  const filesystems = readFileSync("/proc/filesystems", "utf8");
  return {
    fs: mount.fsType,
    mountPoint: mount.mountPoint,
    superOptions: mount.superOptions,
    projectQuota: projectQuotaState(quota, dir),
    kernelConfig: readKernelConfig(),
    ext4Supported: /\text4$/m.test(filesystems),
    loopControl: existsSync("/dev/loop-control"),
    missingTool,
  };
}

/**
 * Which disk-limit mode this host uses for new servers, and why (for `vserver` and the
 * panel's host page). `rootDir` defaults to VSERVER_ROOTDIR. Existing servers keep the
 * mode recorded in their `dlimits/mode`.
 */
export function detectDiskBackend(rootDir?: string, options: DiskEnvOptions = {}): DiskBackendInfo {
  const env = diskEnv(options);
  return decideDiskMode(gatherDiskFacts(rootDir ?? env.paths.rootDir, env.quota));
}
