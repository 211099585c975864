/**
 * The base mount list and the masked / read-only paths of every vserver (as Docker and
 * ARCHITECTURE.md step 4). Order matters: /dev before its nodes and pts, /proc and /sys
 * before their masks.
 */
import type { MountEntry } from "./spec-types";

/** /proc, /sys (ro) and the /dev tmpfs: mounted first. */
export const BASE_FS_MOUNTS: readonly MountEntry[] = Object.freeze([
  { op: "mount", kind: "proc", target: "/proc", flags: ["nosuid", "nodev", "noexec"] },
  { op: "mount", kind: "sysfs", target: "/sys", flags: ["ro", "nosuid", "nodev", "noexec"] },
  // No nodev here: the device nodes below must work. noexec: nothing runs from /dev.
  { op: "mount", kind: "tmpfs", target: "/dev", flags: ["nosuid", "noexec"], options: ["mode=755", "size=64k"] },
]);

/** Mounts inside /dev, after its nodes: own devpts instance, shm, POSIX mqueue. */
export const DEV_SUBMOUNTS: readonly MountEntry[] = Object.freeze([
  {
    op: "mount", kind: "devpts", target: "/dev/pts", flags: ["nosuid", "noexec"],
    options: ["newinstance", "ptmxmode=0666", "mode=0620", "gid=5"],
  },
  {
    op: "mount", kind: "tmpfs", target: "/dev/shm", flags: ["nosuid", "nodev", "noexec"],
    options: ["mode=1777", "size=65536k"],
  },
  // mqueue shows the IPC namespace of the mounter: the guest's own.
  { op: "mount", kind: "mqueue", target: "/dev/mqueue", flags: ["nosuid", "nodev", "noexec"] },
]);

/** An optional /run tmpfs (for guests whose init expects an empty /run). */
export const RUN_TMPFS: Readonly<MountEntry> = Object.freeze<MountEntry>({
  op: "mount", kind: "tmpfs", target: "/run", flags: ["nosuid", "nodev"], options: ["mode=755", "size=65536k"],
});

/** Paths hidden from the guest: files get /dev/null, directories an empty ro tmpfs. */
export const MASKED_PATHS: readonly string[] = Object.freeze([
  "/proc/kcore", "/proc/keys", "/proc/key-users", "/proc/timer_list", "/proc/timer_stats",
  "/proc/sched_debug", "/proc/latency_stats", "/proc/acpi", "/proc/asound", "/proc/scsi",
  "/proc/kallsyms", "/proc/kmsg", "/proc/interrupts", "/sys/firmware",
  "/sys/devices/virtual/powercap", "/sys/kernel/debug", "/sys/kernel/security",
]);

/** Paths bound onto themselves read-only: host-wide knobs the guest may read. */
export const READONLY_PATHS: readonly string[] = Object.freeze([
  "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger",
]);

/** Mount entries for the masks. */
export function maskEntries(paths: readonly string[] = MASKED_PATHS): MountEntry[] {
  return paths.map((target) => ({ op: "mount", kind: "mask", target, flags: ["optional"] }));
}

/** Mount entries for the read-only paths (recursive, skipped when absent). */
export function readonlyEntries(paths: readonly string[] = READONLY_PATHS): MountEntry[] {
  return paths.map((target) => ({ op: "mount", kind: "readonly", target, flags: ["nosuid", "nodev", "optional"] }));
}
