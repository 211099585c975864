/**
 * The mode decision, as a pure function of facts about the host (detect-backend.ts
 * gathers them), so every branch is unit-tested without the filesystems it describes.
 *
 * Project quotas win when they are really enforced on the roots' filesystem: they need
 * no image per server, usage is exact, and limits (also inodes) change live both ways.
 * Otherwise loop images, which work on any filesystem that can hold a sparse file.
 */
import type { KernelConfig } from "./kernel-config";
import type { DiskBackendInfo, ModeSupport } from "./types";

/** What detect-backend.ts found. */
export interface HostDiskFacts {
  /** Filesystem type of the roots' directory (from mountinfo). */
  fs: string;
  mountPoint: string;
  /** Superblock options from mountinfo ("prjquota", "pqnoenforce", …). */
  superOptions: readonly string[];
  /** Q_GETINFO for PRJQUOTA: "on", or the errno code it failed with. */
  projectQuota: "on" | string;
  /** undefined when the kernel's config is not readable. */
  kernelConfig?: KernelConfig;
  /** Loop fallback prerequisites. */
  ext4Supported: boolean;
  loopControl: boolean;
  /** A missing tool's message ("mkfs.ext4 not found; install …"), if any. */
  missingTool?: string;
}

const built = (config: KernelConfig | undefined, option: string): boolean | undefined =>
  config === undefined ? undefined : config.has(option);

function projectSupport(f: HostDiskFacts): ModeSupport {
  const no = (reason: string): ModeSupport => ({ available: false, reason });
  if (f.fs !== "xfs" && f.fs !== "ext4") {
    return no(`project quotas need xfs or ext4; ${f.mountPoint} is ${f.fs}`);
  }
  if (built(f.kernelConfig, "CONFIG_QUOTACTL") === false) return no("project quotas unavailable on this kernel: built without CONFIG_QUOTACTL");
  if (f.fs === "xfs" && built(f.kernelConfig, "CONFIG_XFS_QUOTA") === false) {
    return no("project quotas unavailable on this kernel: built without CONFIG_XFS_QUOTA");
  }
  if (f.fs === "ext4" && (built(f.kernelConfig, "CONFIG_QUOTA") === false || built(f.kernelConfig, "CONFIG_QFMT_V2") === false)) {
    return no("project quotas unavailable on this kernel: ext4's quota feature needs CONFIG_QUOTA and CONFIG_QFMT_V2, and it was built without them");
  }
  if (f.projectQuota !== "on") {
    const how =
      f.fs === "xfs"
        ? "mount it with -o prjquota (xfs enables quotas at mount time only)"
        : "enable the features (tune2fs -O quota,project, unmounted) and mount it with -o prjquota";
    return no(`project quota is off on ${f.mountPoint} (quotactl: ${f.projectQuota}): ${how}`);
  }
  // Accounting alone (xfs pqnoenforce, ext4 with the quota feature but without prjquota)
  // counts usage but lets every write through.
  const enforced = f.fs === "xfs" ? f.superOptions.includes("prjquota") || f.superOptions.includes("pquota") : f.superOptions.includes("prjquota");
  if (!enforced) return no(`project quota on ${f.mountPoint} only accounts, it does not enforce: mount with -o prjquota`);
  return { available: true, reason: `project quotas enforced on ${f.mountPoint} (${f.fs})` };
}

function loopSupport(f: HostDiskFacts): ModeSupport {
  if (f.missingTool) return { available: false, reason: f.missingTool };
  if (!f.ext4Supported) return { available: false, reason: "the kernel has no ext4 driver (not in /proc/filesystems)" };
  if (!f.loopControl) return { available: false, reason: "no /dev/loop-control: the kernel lacks loop devices (CONFIG_BLK_DEV_LOOP)" };
  return { available: true, reason: `ext4 loop images in ${f.mountPoint} (${f.fs})` };
}

/** Picks the mode for new servers and says why. */
export function decideDiskMode(f: HostDiskFacts): DiskBackendInfo {
  const project = projectSupport(f);
  const loop = loopSupport(f);
  const base = { fs: f.fs, mountPoint: f.mountPoint, project, loop };
  if (project.available) return { ...base, mode: "project", reason: project.reason, inodesAdjustable: true };
  if (loop.available) return { ...base, mode: "loop", reason: `loop images (${project.reason})`, inodesAdjustable: false };
  return { ...base, mode: null, reason: `no disk limits possible: ${project.reason}; ${loop.reason}`, inodesAdjustable: false };
}
