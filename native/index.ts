/**
 * The typed face of vsnative.node: thin, synchronous syscall wrappers. All policy (what
 * to follow, what to replace, which caps a guest keeps) lives in TypeScript callers.
 *
 * Errors are thrown like Node's fs errors: an Error with `code` ('EPERM'), `errno`
 * (negative), `syscall` ('openat2') and `path` when there is one; see {@link NativeError}.
 * Path arguments accept a string or a Buffer (guest names need not be UTF-8).
 */
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

/** A path as the kernel sees it: UTF-8 text or raw bytes. */
export type NativePath = string | Buffer;

/** The shape of every error thrown by this module (like NodeJS.ErrnoException). */
export interface NativeError extends Error {
  code: string;
  errno: number;
  syscall: string;
  path?: string;
}

/** Result of {@link fstatat}. `dev` is the raw st_dev, comparable between calls. */
export interface NativeStat {
  type: "file" | "dir" | "symlink" | "fifo" | "socket" | "char" | "block" | "unknown";
  mode: number;
  uid: number;
  gid: number;
  size: number;
  dev: number;
  ino: bigint;
  nlink: number;
  blocks: number;
  rdevMajor: number;
  rdevMinor: number;
  mtimeMs: number;
  /** Last status change (ms): set by the kernel on every write, chmod, chown, link or rename of the inode; no caller can set it. */
  ctimeMs: number;
}

/** One entry of {@link readdir}: the raw name and the d_type (DT_*; may be DT_UNKNOWN). */
export interface NativeDirent {
  name: Buffer;
  type: number;
}

/** struct fsxattr: XFS-style flags and the project id used by project quotas. */
export interface Fsxattr {
  xflags: number;
  extsize: number;
  nextents: number;
  projid: number;
  cowextsize: number;
}

/** One destination of {@link fideduperange}. */
export interface DedupeDest {
  fd: number;
  offset: number;
}

/** Per-destination result: status is FILE_DEDUPE_RANGE_SAME/DIFFERS or -errno. */
export interface DedupeResult {
  status: number;
  bytesDeduped: number;
}

/** struct if_dqblk: limits in 1 KiB blocks (QIF_DQBLKSIZE), current space in bytes. */
export interface Dqblk {
  bhardlimit: number;
  bsoftlimit: number;
  curspace: number;
  ihardlimit: number;
  isoftlimit: number;
  curinodes: number;
  btime: number;
  itime: number;
  valid: number;
}

/** Fields for Q_SETQUOTA; give hard and soft of a pair together. */
export type DqblkUpdate = Partial<
  Pick<Dqblk, "bhardlimit" | "bsoftlimit" | "ihardlimit" | "isoftlimit" | "btime" | "itime">
>;

/** struct if_dqinfo from Q_GETINFO. */
export interface Dqinfo {
  bgrace: number;
  igrace: number;
  flags: number;
  valid: number;
}

/**
 * One allow rule of a cgroup v2 device filter, in the kernel's encoding
 * (include/uapi/linux/bpf.h), so the generated program only compares numbers.
 */
export interface DeviceFilterRule {
  /** BPF_DEVCG_DEV_BLOCK (1), BPF_DEVCG_DEV_CHAR (2), or 0 for both. */
  type: 0 | 1 | 2;
  /** Major number, or -1 for any. */
  major: number;
  /** Minor number, or -1 for any. */
  minor: number;
  /** Non-empty bitmask of BPF_DEVCG_ACC_MKNOD (1), _READ (2), _WRITE (4). */
  access: number;
}

interface Binding {
  openat2(dirfd: number, path: NativePath, flags: number, mode: number, resolve: number): number;
  mkdirat(dirfd: number, path: NativePath, mode: number): void;
  unlinkat(dirfd: number, path: NativePath, flags: number): void;
  renameat2(oldDirfd: number, oldPath: NativePath, newDirfd: number, newPath: NativePath, flags: number): void;
  symlinkat(target: NativePath, dirfd: number, path: NativePath): void;
  readlinkat(dirfd: number, path: NativePath, asBuffer: boolean): string | Buffer;
  fstatat(dirfd: number, path: NativePath, flags: number): NativeStat;
  fchownat(dirfd: number, path: NativePath, uid: number, gid: number, flags: number): void;
  linkat(oldDirfd: number, oldPath: NativePath, newDirfd: number, newPath: NativePath, flags: number): void;
  mknodat(dirfd: number, path: NativePath, mode: number, major: number, minor: number): void;
  readdir(dirfd: number): NativeDirent[];
  pidfdOpen(pid: number, flags?: number): number;
  pidfdSendSignal(pidfd: number, signal: number): void;
  getFsxattr(fd: number): Fsxattr;
  setFsxattr(fd: number, attr: Partial<Omit<Fsxattr, "nextents">>): void;
  ficlone(destFd: number, srcFd: number): void;
  fideduperange(srcFd: number, srcOffset: number, length: number, dests: DedupeDest[]): DedupeResult[];
  quotactlFd(fd: number, cmd: number, type: number, id: number, dqblk?: DqblkUpdate): unknown;
  attachDeviceFilter(cgroupDirFd: number, rules: readonly DeviceFilterRule[]): number;
  queryDeviceFilters(cgroupDirFd: number): number[];
  bpfProgExists(id: number): boolean;
  flock(fd: number, operation: number): void;
  fdgetxattr(fd: number, name: string): Buffer | null;
  fdsetxattr(fd: number, name: string, value: Buffer): void;
  constants: Record<string, number>;
}

const require = createRequire(import.meta.url);
const binding = require("./build/Release/vsnative.node") as Binding;

/** Absolute path of a helper executable built beside the module (vs-start, vs-enter). */
export function helperPath(name: "vs-start" | "vs-enter"): string {
  return fileURLToPath(new URL(`./build/Release/${name}`, import.meta.url));
}

function constant(name: string): number {
  const v = binding.constants[name];
  if (v === undefined) throw new Error(`vsnative: missing constant ${name}`);
  return v;
}

/** Kernel constants, named as in C (O_*, RESOLVE_*, AT_*, RENAME_*, Q_*, FS_XFLAG_*, …). */
export const constants = Object.freeze({
  O_RDONLY: constant("O_RDONLY"), O_WRONLY: constant("O_WRONLY"), O_RDWR: constant("O_RDWR"),
  O_CREAT: constant("O_CREAT"), O_EXCL: constant("O_EXCL"), O_TRUNC: constant("O_TRUNC"),
  O_APPEND: constant("O_APPEND"), O_NONBLOCK: constant("O_NONBLOCK"),
  O_DIRECTORY: constant("O_DIRECTORY"), O_NOFOLLOW: constant("O_NOFOLLOW"),
  O_CLOEXEC: constant("O_CLOEXEC"), O_PATH: constant("O_PATH"), O_NOCTTY: constant("O_NOCTTY"),
  O_NOATIME: constant("O_NOATIME"), O_TMPFILE: constant("O_TMPFILE"),
  RESOLVE_NO_XDEV: constant("RESOLVE_NO_XDEV"),
  RESOLVE_NO_MAGICLINKS: constant("RESOLVE_NO_MAGICLINKS"),
  RESOLVE_NO_SYMLINKS: constant("RESOLVE_NO_SYMLINKS"),
  RESOLVE_BENEATH: constant("RESOLVE_BENEATH"), RESOLVE_IN_ROOT: constant("RESOLVE_IN_ROOT"),
  RESOLVE_CACHED: constant("RESOLVE_CACHED"),
  AT_FDCWD: constant("AT_FDCWD"), AT_SYMLINK_NOFOLLOW: constant("AT_SYMLINK_NOFOLLOW"),
  AT_REMOVEDIR: constant("AT_REMOVEDIR"), AT_SYMLINK_FOLLOW: constant("AT_SYMLINK_FOLLOW"),
  AT_EMPTY_PATH: constant("AT_EMPTY_PATH"),
  RENAME_NOREPLACE: constant("RENAME_NOREPLACE"), RENAME_EXCHANGE: constant("RENAME_EXCHANGE"),
  RENAME_WHITEOUT: constant("RENAME_WHITEOUT"),
  S_IFMT: constant("S_IFMT"), S_IFREG: constant("S_IFREG"), S_IFDIR: constant("S_IFDIR"),
  S_IFLNK: constant("S_IFLNK"), S_IFIFO: constant("S_IFIFO"), S_IFSOCK: constant("S_IFSOCK"),
  S_IFCHR: constant("S_IFCHR"), S_IFBLK: constant("S_IFBLK"),
  DT_UNKNOWN: constant("DT_UNKNOWN"), DT_REG: constant("DT_REG"), DT_DIR: constant("DT_DIR"),
  DT_LNK: constant("DT_LNK"), DT_FIFO: constant("DT_FIFO"), DT_SOCK: constant("DT_SOCK"),
  DT_CHR: constant("DT_CHR"), DT_BLK: constant("DT_BLK"),
  PIDFD_NONBLOCK: constant("PIDFD_NONBLOCK"),
  FS_XFLAG_IMMUTABLE: constant("FS_XFLAG_IMMUTABLE"), FS_XFLAG_APPEND: constant("FS_XFLAG_APPEND"),
  FS_XFLAG_NOATIME: constant("FS_XFLAG_NOATIME"), FS_XFLAG_NODUMP: constant("FS_XFLAG_NODUMP"),
  FS_XFLAG_PROJINHERIT: constant("FS_XFLAG_PROJINHERIT"),
  FS_XFLAG_HASATTR: constant("FS_XFLAG_HASATTR"),
  FILE_DEDUPE_RANGE_SAME: constant("FILE_DEDUPE_RANGE_SAME"),
  FILE_DEDUPE_RANGE_DIFFERS: constant("FILE_DEDUPE_RANGE_DIFFERS"),
  Q_GETQUOTA: constant("Q_GETQUOTA"), Q_SETQUOTA: constant("Q_SETQUOTA"),
  Q_GETINFO: constant("Q_GETINFO"), Q_GETFMT: constant("Q_GETFMT"), Q_SYNC: constant("Q_SYNC"),
  Q_QUOTAON: constant("Q_QUOTAON"), Q_QUOTAOFF: constant("Q_QUOTAOFF"),
  Q_GETNEXTQUOTA: constant("Q_GETNEXTQUOTA"),
  USRQUOTA: constant("USRQUOTA"), GRPQUOTA: constant("GRPQUOTA"), PRJQUOTA: constant("PRJQUOTA"),
  QFMT_VFS_V1: constant("QFMT_VFS_V1"), QIF_DQBLKSIZE: constant("QIF_DQBLKSIZE"),
  QIF_BLIMITS: constant("QIF_BLIMITS"), QIF_SPACE: constant("QIF_SPACE"),
  QIF_ILIMITS: constant("QIF_ILIMITS"), QIF_INODES: constant("QIF_INODES"),
  QIF_ALL: constant("QIF_ALL"),
  BPF_DEVCG_DEV_BLOCK: constant("BPF_DEVCG_DEV_BLOCK"), BPF_DEVCG_DEV_CHAR: constant("BPF_DEVCG_DEV_CHAR"),
  BPF_DEVCG_ACC_MKNOD: constant("BPF_DEVCG_ACC_MKNOD"), BPF_DEVCG_ACC_READ: constant("BPF_DEVCG_ACC_READ"),
  BPF_DEVCG_ACC_WRITE: constant("BPF_DEVCG_ACC_WRITE"),
  LOCK_SH: constant("LOCK_SH"), LOCK_EX: constant("LOCK_EX"), LOCK_NB: constant("LOCK_NB"),
  LOCK_UN: constant("LOCK_UN"),
});

/** openat2(2). O_CLOEXEC is always added. Returns the new fd. */
export function openat2(dirfd: number, path: NativePath, flags: number, mode = 0, resolve = 0): number {
  return binding.openat2(dirfd, path, flags, mode, resolve);
}

/** mkdirat(2); the mode is filtered by the process umask, as usual. */
export function mkdirat(dirfd: number, path: NativePath, mode: number): void {
  binding.mkdirat(dirfd, path, mode);
}

/** unlinkat(2); pass AT_REMOVEDIR to remove an empty directory. Never follows symlinks. */
export function unlinkat(dirfd: number, path: NativePath, flags = 0): void {
  binding.unlinkat(dirfd, path, flags);
}

/** renameat2(2) with RENAME_NOREPLACE / RENAME_EXCHANGE / RENAME_WHITEOUT flags. */
export function renameat2(oldDirfd: number, oldPath: NativePath, newDirfd: number, newPath: NativePath, flags = 0): void {
  binding.renameat2(oldDirfd, oldPath, newDirfd, newPath, flags);
}

/** symlinkat(2): creates `path` (beneath dirfd) pointing at `target`. */
export function symlinkat(target: NativePath, dirfd: number, path: NativePath): void {
  binding.symlinkat(target, dirfd, path);
}

/** readlinkat(2); an empty path with an O_PATH|O_NOFOLLOW fd reads that symlink itself. */
export function readlinkat(dirfd: number, path: NativePath): string;
/** readlinkat(2) returning the raw bytes. */
export function readlinkat(dirfd: number, path: NativePath, asBuffer: true): Buffer;
export function readlinkat(dirfd: number, path: NativePath, asBuffer = false): string | Buffer {
  return binding.readlinkat(dirfd, path, asBuffer);
}

/** fstatat(2); flags AT_SYMLINK_NOFOLLOW and/or AT_EMPTY_PATH (with path ""). */
export function fstatat(dirfd: number, path: NativePath, flags = 0): NativeStat {
  return binding.fstatat(dirfd, path, flags);
}

/** fchownat(2); -1 leaves an id unchanged. */
export function fchownat(dirfd: number, path: NativePath, uid: number, gid: number, flags = 0): void {
  binding.fchownat(dirfd, path, uid, gid, flags);
}

/** getxattr(2) of the inode behind our fd `fd` (through /proc/self/fd); null when absent
 * or when the filesystem has no xattrs. */
export function fdGetxattr(fd: number, name: string): Buffer | null {
  return binding.fdgetxattr(fd, name);
}

/** setxattr(2) on the inode behind our fd `fd` (through /proc/self/fd). */
export function fdSetxattr(fd: number, name: string, value: Buffer): void {
  binding.fdsetxattr(fd, name, value);
}

/** linkat(2); AT_EMPTY_PATH links an fd itself (an O_TMPFILE file, for instance). */
export function linkat(oldDirfd: number, oldPath: NativePath, newDirfd: number, newPath: NativePath, flags = 0): void {
  binding.linkat(oldDirfd, oldPath, newDirfd, newPath, flags);
}

/** mknodat(2); `mode` includes the file type (S_IFCHR, S_IFBLK, S_IFIFO, …). */
export function mknodat(dirfd: number, path: NativePath, mode: number, major = 0, minor = 0): void {
  binding.mknodat(dirfd, path, mode, major, minor);
}

/** The entries of a directory fd (without . and ..); the fd's own offset is untouched. */
export function readdir(dirfd: number): NativeDirent[] {
  return binding.readdir(dirfd);
}

/** pidfd_open(2): a stable handle on a process (cloexec). */
export function pidfdOpen(pid: number, flags = 0): number {
  return binding.pidfdOpen(pid, flags);
}

/** pidfd_send_signal(2); signal 0 checks that the process still exists. */
export function pidfdSendSignal(pidfd: number, signal: number): void {
  binding.pidfdSendSignal(pidfd, signal);
}

/** FS_IOC_FSGETXATTR: flags and project id of an open file or directory. */
export function getFsxattr(fd: number): Fsxattr {
  return binding.getFsxattr(fd);
}

/** FS_IOC_FSSETXATTR; fields not given keep their current value. */
export function setFsxattr(fd: number, attr: Partial<Omit<Fsxattr, "nextents">>): void {
  // JS bit operations yield int32 (FS_XFLAG_HASATTR is bit 31): take them back unsigned.
  binding.setFsxattr(fd, attr.xflags === undefined ? attr : { ...attr, xflags: attr.xflags >>> 0 });
}

/** FICLONE: make destFd a reflink copy of srcFd (same filesystem, reflink support). */
export function ficlone(destFd: number, srcFd: number): void {
  binding.ficlone(destFd, srcFd);
}

/** FIDEDUPERANGE: share identical extents of srcFd with each destination. */
export function fideduperange(srcFd: number, srcOffset: number, length: number, dests: DedupeDest[]): DedupeResult[] {
  return binding.fideduperange(srcFd, srcOffset, length, dests);
}

/** quotactl_fd(2) Q_GETQUOTA / Q_GETNEXTQUOTA for one id (project id for PRJQUOTA). */
export function quotactlGet(fd: number, type: number, id: number, next = false): Dqblk {
  return binding.quotactlFd(fd, next ? constants.Q_GETNEXTQUOTA : constants.Q_GETQUOTA, type, id) as Dqblk;
}

/** quotactl_fd(2) Q_SETQUOTA: only the fields given are changed. */
export function quotactlSet(fd: number, type: number, id: number, update: DqblkUpdate): void {
  binding.quotactlFd(fd, constants.Q_SETQUOTA, type, id, update);
}

/** quotactl_fd(2) Q_GETINFO: throws ESRCH when quota of that type is off. */
export function quotactlInfo(fd: number, type: number): Dqinfo {
  return binding.quotactlFd(fd, constants.Q_GETINFO, type, 0) as Dqinfo;
}

/** quotactl_fd(2) Q_GETFMT: the quota format in use; throws ESRCH when quota is off. */
export function quotactlFormat(fd: number, type: number): number {
  return binding.quotactlFd(fd, constants.Q_GETFMT, type, 0) as number;
}

/** quotactl_fd(2) raw command (Q_SYNC, Q_QUOTAON with a format id, Q_QUOTAOFF, …). */
export function quotactlFd(fd: number, cmd: number, type: number, id: number, dqblk?: DqblkUpdate): unknown {
  return binding.quotactlFd(fd, cmd, type, id, dqblk);
}

/**
 * Replaces the device policy of a cgroup v2 directory (an fd opened O_RDONLY|O_DIRECTORY
 * on it): generates a BPF_PROG_TYPE_CGROUP_DEVICE program that denies every device
 * access except those `rules` allow (a request matches a rule when the type is equal or
 * the rule's is 0, major and minor are equal or -1, and the requested access bits are a
 * subset of the rule's), attaches it with BPF_F_ALLOW_MULTI, then detaches every device
 * program that was attached directly to that group before the call. The kernel denies
 * when any attached program denies, so during the swap access is never wider than either
 * policy. Returns the new program's id.
 *
 * Throws RangeError/TypeError for a bad rule (at most 1024 rules), and an fs-style error
 * with syscall `bpf(BPF_PROG_…)` from the kernel; a failed load carries the verifier's
 * log in its message and in `verifierLog`. If detaching an old program fails, the new
 * one stays attached beside it (stricter, never looser) and the error is thrown.
 * On a hybrid host the v1 devices controller still applies as well.
 */
export function attachDeviceFilter(cgroupDirFd: number, rules: readonly DeviceFilterRule[]): number {
  return binding.attachDeviceFilter(cgroupDirFd, rules);
}

/** Ids of the device programs attached directly to a cgroup v2 directory (BPF_PROG_QUERY). */
export function queryDeviceFilters(cgroupDirFd: number): number[] {
  return binding.queryDeviceFilters(cgroupDirFd);
}

/**
 * Whether a BPF program with this id is still loaded (BPF_PROG_GET_FD_BY_ID). A device
 * filter that was detached, or whose cgroup was removed, is freed and its id vanishes.
 */
export function bpfProgExists(id: number): boolean {
  return binding.bpfProgExists(id);
}

/**
 * flock(2): LOCK_SH, LOCK_EX or LOCK_UN, optionally | LOCK_NB. The lock belongs to the
 * open file description, so it is released when every fd on it is closed, including
 * by the kernel when the holder dies. A blocking request waits (and is retried after a
 * signal); with LOCK_NB a held lock throws code 'EAGAIN' (EWOULDBLOCK is the same errno
 * on Linux, and Node reports it as EAGAIN too).
 */
export function flock(fd: number, operation: number): void {
  binding.flock(fd, operation);
}

/** Whether an unknown thrown value is a {@link NativeError} with the given code. */
export function isNativeError(e: unknown, code?: string): e is NativeError {
  if (!(e instanceof Error)) return false;
  const c = (e as Partial<NativeError>).code;
  return typeof c === "string" && typeof (e as Partial<NativeError>).errno === "number" && (code === undefined || c === code);
}
