/**
 * The kernel calls the project backend makes, in the kernel's own units, behind an
 * interface: the native module on a host, a fake with the same semantics in unit tests
 * (testing/fake-quota.ts), since this test kernel cannot enable project quotas.
 */
import {
  constants as C,
  getFsxattr,
  quotactlGet,
  quotactlInfo,
  quotactlSet,
  setFsxattr,
  type Dqblk,
  type DqblkUpdate,
  type Dqinfo,
  type Fsxattr,
} from "@/native";

/** quotactl (type PRJQUOTA) and FS_IOC_FS[GS]ETXATTR. Errors are NativeErrors. */
export interface QuotaLayer {
  /** Q_GETINFO: throws ESRCH when project quota is off on that filesystem. */
  info(fd: number): Dqinfo;
  /** Q_GETQUOTA: limits in 1 KiB blocks, curspace in bytes. */
  get(fd: number, projid: number): Dqblk;
  /** Q_SETQUOTA: only the pairs given change; 0 means "no limit". */
  set(fd: number, projid: number, update: DqblkUpdate): void;
  /** FS_IOC_FSGETXATTR of an open file or directory. */
  getFsxattr(fd: number): Fsxattr;
  /** FS_IOC_FSSETXATTR; fields not given keep their value. */
  setFsxattr(fd: number, attr: Partial<Omit<Fsxattr, "nextents">>): void;
}

/** The real thing: quotactl_fd(2) and the fsxattr ioctls through vsnative. */
export const nativeQuotaLayer: QuotaLayer = {
  info: (fd) => quotactlInfo(fd, C.PRJQUOTA),
  get: (fd, projid) => quotactlGet(fd, C.PRJQUOTA, projid),
  set: (fd, projid, update) => quotactlSet(fd, C.PRJQUOTA, projid, update),
  getFsxattr: (fd) => getFsxattr(fd),
  setFsxattr: (fd, attr) => setFsxattr(fd, attr),
};

/** Bytes per quota block in struct if_dqblk (QIF_DQBLKSIZE). */
export const QUOTA_BLOCK = 1024;
