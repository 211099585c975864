/**
 * Syscall numbers for the seccomp deny-list, from the kernel's x86_64 (unistd_64.h) and
 * i386 (unistd_32.h) tables. null: the call does not exist on that ABI.
 */

/** Numbers of one syscall on each ABI the filter checks. */
export interface SyscallNumbers {
  x86_64: number | null;
  i386: number | null;
}

/** The syscalls the policy refers to, by name. */
export const SYSCALLS = {
  init_module: { x86_64: 175, i386: 128 },
  finit_module: { x86_64: 313, i386: 350 },
  delete_module: { x86_64: 176, i386: 129 },
  create_module: { x86_64: 174, i386: 127 },
  get_kernel_syms: { x86_64: 177, i386: 130 },
  query_module: { x86_64: 178, i386: 167 },
  kexec_load: { x86_64: 246, i386: 283 },
  kexec_file_load: { x86_64: 320, i386: null },
  open_by_handle_at: { x86_64: 304, i386: 342 },
  bpf: { x86_64: 321, i386: 357 },
  perf_event_open: { x86_64: 298, i386: 336 },
  keyctl: { x86_64: 250, i386: 288 },
  add_key: { x86_64: 248, i386: 286 },
  request_key: { x86_64: 249, i386: 287 },
  userfaultfd: { x86_64: 323, i386: 374 },
  swapon: { x86_64: 167, i386: 87 },
  swapoff: { x86_64: 168, i386: 115 },
  acct: { x86_64: 163, i386: 51 },
  settimeofday: { x86_64: 164, i386: 79 },
  stime: { x86_64: null, i386: 25 },
  clock_settime: { x86_64: 227, i386: 264 },
  clock_settime64: { x86_64: null, i386: 404 },
  clock_adjtime: { x86_64: 305, i386: 343 },
  clock_adjtime64: { x86_64: null, i386: 405 },
  iopl: { x86_64: 172, i386: 110 },
  ioperm: { x86_64: 173, i386: 101 },
  lookup_dcookie: { x86_64: 212, i386: 253 },
  quotactl: { x86_64: 179, i386: 131 },
  quotactl_fd: { x86_64: 443, i386: 443 },
  syslog: { x86_64: 103, i386: 103 },
  vhangup: { x86_64: 153, i386: 111 },
  nfsservctl: { x86_64: 180, i386: 169 },
  uselib: { x86_64: 134, i386: 86 },
  _sysctl: { x86_64: 156, i386: 149 },
  vm86: { x86_64: null, i386: 166 },
  vm86old: { x86_64: null, i386: 113 },
  io_uring_setup: { x86_64: 425, i386: 425 },
  io_uring_enter: { x86_64: 426, i386: 426 },
  io_uring_register: { x86_64: 427, i386: 427 },
  clone: { x86_64: 56, i386: 120 },
  clone3: { x86_64: 435, i386: 435 },
  unshare: { x86_64: 272, i386: 310 },
} as const satisfies Record<string, SyscallNumbers>;

/** A syscall name known to {@link SYSCALLS}. */
export type SyscallName = keyof typeof SYSCALLS;
