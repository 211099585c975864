/**
 * The guest's /dev: a small tmpfs with only these nodes (ARCHITECTURE.md step 4): made by
 * mknod with shared uids, the host's own nodes bound in a user namespace
 * (build-start-spec.ts).
 * No /dev/console: a console node would be the host's console (5:1); a guest console
 * is a pty relay (vs-enter pty mode). /dev/tty (5:0) is safe: it always means the
 * opener's own controlling tty, which inside a guest is a guest pty.
 */
import type { DeviceEntry, SymlinkEntry } from "./spec-types";

/** Character devices created by mknod in the guest's /dev. */
export const DEFAULT_DEVICES: readonly DeviceEntry[] = Object.freeze([
  { op: "device", path: "/dev/null", major: 1, minor: 3, mode: 0o666 },
  { op: "device", path: "/dev/zero", major: 1, minor: 5, mode: 0o666 },
  { op: "device", path: "/dev/full", major: 1, minor: 7, mode: 0o666 },
  { op: "device", path: "/dev/random", major: 1, minor: 8, mode: 0o666 },
  { op: "device", path: "/dev/urandom", major: 1, minor: 9, mode: 0o666 },
  { op: "device", path: "/dev/tty", major: 5, minor: 0, mode: 0o666 },
]);

/** Symlinks of the guest's /dev (ptmx of its own devpts instance, fd shortcuts). */
export const DEFAULT_DEV_SYMLINKS: readonly SymlinkEntry[] = Object.freeze([
  { op: "symlink", path: "/dev/ptmx", target: "pts/ptmx" },
  { op: "symlink", path: "/dev/fd", target: "/proc/self/fd" },
  { op: "symlink", path: "/dev/stdin", target: "/proc/self/fd/0" },
  { op: "symlink", path: "/dev/stdout", target: "/proc/self/fd/1" },
  { op: "symlink", path: "/dev/stderr", target: "/proc/self/fd/2" },
]);
