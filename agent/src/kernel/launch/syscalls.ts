/**
 * Syscall numbers for the seccomp deny-list, from the kernel's x86_64 (unistd_64.h) and
 * i386 (unistd_32.h) tables. null: the call does not exist on that ABI. The table itself is
 * data (syscall-numbers.json); the seccomp test compares it with the installed headers.
 */
import syscallNumbers from "./syscall-numbers.json" with { type: "json" };

/** Numbers of one syscall on each ABI the filter checks. */
export interface SyscallNumbers {
  x86_64: number | null;
  i386: number | null;
}

/** The syscalls the policy refers to, by name. */
export const SYSCALLS = syscallNumbers satisfies Record<string, SyscallNumbers>;

/** A syscall name known to {@link SYSCALLS}. */
export type SyscallName = keyof typeof SYSCALLS;
