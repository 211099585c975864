/**
 * The guest files that show the server its own resources: each is a read-only bind of
 * the same file in an LXCFS mount, put over the guest's /proc and /sys files at start
 * (after /proc and /sys are mounted, before the masks). LXCFS answers each read from the
 * reader's own cgroups (memory, cpuset, cpu quota) and pid namespace (uptime).
 */
import fs from "node:fs";
import path from "node:path";
import type { MountEntry } from "./spec-types";

/** The files LXCFS virtualizes that a guest sees in place of the kernel's. */
export const OWN_VIEW_FILES: readonly string[] = Object.freeze([
  "/proc/meminfo", "/proc/cpuinfo", "/proc/stat", "/proc/uptime", "/proc/loadavg",
  "/proc/swaps", "/proc/diskstats", "/sys/devices/system/cpu/online",
]);

/**
 * Bind entries for the files of {@link OWN_VIEW_FILES} that the LXCFS mount at
 * `lxcfsDir` offers (an older LXCFS lacks some: those stay the kernel's).
 */
export function ownViewEntries(lxcfsDir: string, files: readonly string[] = OWN_VIEW_FILES): MountEntry[] {
  const out: MountEntry[] = [];
  for (const target of files) {
    const source = path.join(lxcfsDir, target);
    if (!fs.existsSync(source)) continue;
    out.push({ op: "mount", kind: "bind", target, source, flags: ["ro", "nosuid", "nodev", "noexec"] });
  }
  return out;
}
