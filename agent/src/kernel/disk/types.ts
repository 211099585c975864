/** The shapes shared by both disk-limit backends (project quota and loop image). */
import type { HostPaths } from "../../host-paths";
import type { QuotaLayer } from "./project/quota-layer";

/**
 * How a server's disk space is limited on this host:
 * - `project`: its root is a plain directory on the host filesystem, tagged with a
 *   project id that the kernel's project quota charges and limits (XFS, ext4).
 * - `loop`: its root is an ext4 image file attached to a loop device and mounted on the
 *   root directory; the image's size is the limit.
 */
export type DiskMode = "project" | "loop";

/** A space and inode limit as the backends take it (bytes already rounded, see limits.ts). */
export interface DiskLimits {
  /** Hard limit of space in bytes (a multiple of 4 KiB). */
  bytes: number;
  /** Hard limit of inodes (files, directories, symlinks, …). */
  inodes: number;
}

/** A live change: fields not given stay as they are. */
export type DiskLimitChange = Partial<DiskLimits>;

/** What {@link readDiskUsage} reports. */
export interface DiskUsage {
  mode: DiskMode;
  bytesUsed: number;
  /** The limit the server was given (the image size in loop mode). */
  bytesLimit: number;
  /** What the guest can still write (loop: the filesystem's free space for anyone). */
  bytesAvailable: number;
  inodesUsed: number;
  /** In loop mode the real inode count of the image, which grows in steps with its size. */
  inodesLimit: number;
  /** Loop mode: whether the image was mounted (usage of an unmounted image comes from its superblock). */
  mounted: boolean;
}

/** Why a mode can or cannot be used on this host. */
export interface ModeSupport {
  available: boolean;
  reason: string;
}

/** What {@link detectDiskBackend} found about the filesystem holding the server roots. */
export interface DiskBackendInfo {
  /** The mode new servers get here, or null when neither works. */
  mode: DiskMode | null;
  /** Filesystem type of the roots' directory ("xfs", "ext4", "btrfs", "tmpfs", …). */
  fs: string;
  /** Mount point of that filesystem. */
  mountPoint: string;
  /** One line for `vserver`/the panel: which mode and why. */
  reason: string;
  project: ModeSupport;
  loop: ModeSupport;
  /** Whether `inodes` can be changed after creation (false in loop mode: fixed by the image layout). */
  inodesAdjustable: boolean;
}

/** The record of one server's disk area, as kept in `<confDir>/NAME/dlimits/`. */
export interface AreaRecord {
  mode: DiskMode;
  /** The limited directory: the server's root. */
  directory: string;
  limits: DiskLimits;
  /** Project mode: the server's project id. */
  projid?: number;
  /** Loop mode: absolute path of the image file. */
  image?: string;
}

/** Everything the disk functions read from the host; tests replace parts of it. */
export interface DiskEnv {
  paths: HostPaths;
  /** Project ids and quotactl; the native module unless a test gives a fake. */
  quota: QuotaLayer;
}

/** Options every public disk function takes. */
export interface DiskEnvOptions {
  /** Host prefixes and quota layer; defaults to the environment's prefixes and the kernel. */
  env?: Partial<DiskEnv>;
}
