/**
 * The default seccomp deny-list (EPERM unless noted). Most of these also need a
 * capability the guest no longer has; the filter is the second wall, and it also covers
 * calls that need none (syslog reads, keyrings, userfaultfd, perf, user namespaces).
 *
 * - modules: init_module, finit_module, delete_module (+ the obsolete module calls)
 * - kexec_load, kexec_file_load; swapon/swapoff; acct; quotactl, quotactl_fd
 * - open_by_handle_at (the "shocker" escape); name_to_handle_at stays allowed: without
 *   open_by_handle_at a handle is useless, and systemd uses it to find mount ids
 * - bpf, perf_event_open, userfaultfd, lookup_dcookie: kernel attack surface
 * - keyctl, add_key, request_key: keyrings are not namespaced (the init also gets a
 *   fresh session keyring)
 * - clock: settimeofday, stime, clock_settime(64), clock_adjtime(64); adjtimex stays,
 *   its read-only use is common (ntp status) and setting needs CAP_SYS_TIME
 * - iopl, ioperm, vm86*: raw hardware; syslog: the host's kernel log; vhangup
 * - nfsservctl, uselib, _sysctl: obsolete
 * - io_uring_*: ENOSYS, so software falls back to the classic calls as on an old kernel
 * - clone3: ENOSYS (its flags are behind a pointer a filter cannot read; glibc falls
 *   back to clone); clone and unshare with CLONE_NEWUSER: EPERM. A (nested) user namespace
 *   would give guest root CAP_SYS_ADMIN over new namespaces: kernel surface we do not need.
 *   The server's own user namespace is made by vs-start before this filter exists.
 * - project ids and inode flags (FILE_ATTR_RULES): ioctl FS_IOC_FSSETXATTR, FS_IOC_SETFLAGS
 *   and FS_IOC32_SETFLAGS by cmd equality, and file_setattr. Shared-uid guests run in the
 *   init user namespace, where the kernel lets a file's owner move it to another project
 *   id (or drop PROJINHERIT), i.e. out of its disk quota (kernel/disk/README.md); in a
 *   server's own user namespace the kernel refuses that itself and this is the second
 *   wall. `chattr` stops working inside; the reads (FS_IOC_FSGETXATTR, FS_IOC_GETFLAGS,
 *   file_getattr) stay.
 * Allowed on purpose: reboot (pid-namespace scoped, see default-caps.ts), ptrace and
 * process_vm_* (only reach the guest's own dumpable processes without CAP_SYS_PTRACE),
 * mount & co, setns, unshare of other namespaces (they fail without CAP_SYS_ADMIN).
 */
import { constants } from "node:os";
import type { SeccompPolicy, SeccompRule } from "./spec-types";
import { SYSCALLS, type SyscallName } from "./syscalls";

const EPERM = constants.errno.EPERM;
const ENOSYS = constants.errno.ENOSYS;
/** CLONE_NEWUSER from <linux/sched.h>. */
export const CLONE_NEWUSER = 0x10000000;

const DENY_EPERM: readonly SyscallName[] = [
  "init_module", "finit_module", "delete_module", "create_module", "get_kernel_syms",
  "query_module", "kexec_load", "kexec_file_load", "open_by_handle_at", "bpf",
  "perf_event_open", "keyctl", "add_key", "request_key", "userfaultfd", "swapon", "swapoff",
  "acct", "settimeofday", "stime", "clock_settime", "clock_settime64", "clock_adjtime",
  "clock_adjtime64", "iopl", "ioperm", "lookup_dcookie", "quotactl", "quotactl_fd", "syslog",
  "vhangup", "nfsservctl", "uselib", "_sysctl", "vm86", "vm86old",
];
const DENY_ENOSYS: readonly SyscallName[] = ["io_uring_setup", "io_uring_enter", "io_uring_register", "clone3"];
const DENY_NEWUSER: readonly SyscallName[] = ["clone", "unshare"];

/**
 * Calls that change a file's project id or inode flags. Kept here rather than in
 * syscalls.ts: file_setattr (Linux 6.17) is newer than the uapi headers that file's
 * test checks against; the numbers follow the kernel's tables (since 5.1 new calls get
 * one number on every architecture).
 */
export const FILE_ATTR_SYSCALLS = {
  ioctl: { x86_64: 16, i386: 54 },
  file_setattr: { x86_64: 469, i386: 469 },
} as const;

/** ioctl commands that set project ids or inode flags (`_IOW` values from <linux/fs.h>). */
export const FILE_ATTR_IOCTLS = {
  /** _IOW('X', 32, struct fsxattr): project id, PROJINHERIT, extent sizes. */
  FS_IOC_FSSETXATTR: 0x401c5820,
  /** _IOW('f', 2, long) on 64-bit: chattr's call. */
  FS_IOC_SETFLAGS: 0x40086602,
  /** _IOW('f', 2, int): the same from 32-bit programs (what i386's FS_IOC_SETFLAGS is). */
  FS_IOC32_SETFLAGS: 0x40046602,
} as const;

/** The ioctl cmd is argument 1 on both ABIs; every command is denied on both. */
function fileAttrRules(abi: "x86_64" | "i386"): SeccompRule[] {
  const ioctl = FILE_ATTR_SYSCALLS.ioctl[abi];
  return [
    ...Object.values(FILE_ATTR_IOCTLS).map((cmd) => ({ nr: ioctl, errno: EPERM, arg: { index: 1, equals: cmd } })),
    { nr: FILE_ATTR_SYSCALLS.file_setattr[abi], errno: EPERM },
  ];
}

function rules(abi: "x86_64" | "i386"): SeccompRule[] {
  const out: SeccompRule[] = [];
  const add = (names: readonly SyscallName[], errno: number, arg?: SeccompRule["arg"]) => {
    for (const n of names) {
      const nr = SYSCALLS[n][abi];
      if (nr !== null) out.push(arg ? { nr, errno, arg } : { nr, errno });
    }
  };
  add(DENY_EPERM, EPERM);
  add(DENY_ENOSYS, ENOSYS);
  // clone(flags, …) and unshare(flags): flags are the first argument on both ABIs.
  add(DENY_NEWUSER, EPERM, { index: 0, mask: CLONE_NEWUSER });
  out.push(...fileAttrRules(abi));
  return out;
}

/** The default policy; i386 programs get the same list by their own numbers. */
export function defaultSeccomp(): SeccompPolicy {
  return { x86_64: rules("x86_64"), i386: rules("i386"), denyErrno: EPERM };
}
