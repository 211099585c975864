/**
 * Per-server disk space and inode limits behind one interface, with two backends chosen
 * per host by what the filesystem holding VSERVER_ROOTDIR supports: project quotas (XFS
 * prjquota, ext4 quota,project + prjquota) or, where those are unavailable, an ext4 loop
 * image per server. README.md beside this file has the layout, the decisions and what
 * the start/delete paths and the seccomp policy must do.
 */
export { detectDiskBackend, gatherDiskFacts } from "./detect-backend";
export { decideDiskMode, type HostDiskFacts } from "./decide-mode";
export { createDiskArea, type CreateDiskAreaOptions, type CreatedDiskArea } from "./create-disk-area";
export { setDiskLimit, type SetDiskLimitOptions } from "./set-disk-limit";
export { readDiskUsage } from "./read-disk-usage";
export { ensureMounted, type EnsureResult } from "./ensure-mounted";
export { releaseDiskArea, type ReleaseDiskAreaOptions, type ReleaseResult } from "./release-disk-area";
export {
  listDiskAreas,
  reconcileDiskAreas,
  type AreaHealth,
  type DiskAreaReport,
  type DiskOrphan,
  type ListedArea,
  type ReconcileOptions,
  type ReconcileResult,
} from "./reconcile-disk-areas";
export {
  validateDiskLimits,
  validateDiskLimitChange,
  MIN_DISK_BYTES,
  MAX_DISK_BYTES,
  MIN_DISK_INODES,
  MAX_DISK_INODES,
  DEFAULT_BYTES_PER_INODE,
  type DiskLimitsInput,
} from "./limits";
export { areaPaths, checkServerName, type AreaPaths } from "./layout";
export { nativeQuotaLayer, type QuotaLayer } from "./project/quota-layer";
export { PROJID_FIRST } from "./project/allocate-projid";
export type { AssignResult } from "./project/assign-tree";
export type { DiskBackendInfo, DiskEnv, DiskEnvOptions, DiskLimits, DiskMode, DiskUsage, ModeSupport } from "./types";
