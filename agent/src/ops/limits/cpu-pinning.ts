/**
 * `nproc` inside a server counts the CPUs it may run on (sched_getaffinity), not its CPU
 * quota: a server limited to N cores (a quota of 1.5 counts as 2) is also pinned to N
 * CPUs with the cpuset controller, so nproc, /proc/cpuinfo and cpu/online (LXCFS reads
 * the cpuset) say N. The quota stays what throttles it. Which CPUs: N in a row, starting
 * at a place taken from the server's name, so servers spread over the host's CPUs.
 */
import fs from "node:fs";
import path from "node:path";
import type { Cgroups } from "../../kernel/cgroup";
import { formatCpuList, parseCpuList } from "../../kernel/cgroup/parse-files";

/** How many CPUs a quota of `cpu` cores is pinned to (ceil, 1..available). */
export function pinnedCpuCount(cpu: number, available: number): number {
  return Math.max(1, Math.min(available, Math.ceil(cpu - 1e-9)));
}

/** A stable spread of names over `n` places (FNV-1a). */
function placeOf(name: string, n: number): number {
  let h = 0x811c9dc5;
  for (const c of Buffer.from(name)) h = Math.imul(h ^ c, 0x01000193) >>> 0;
  return h % n;
}

/** `count` CPUs of `available` (sorted), consecutive from the name's place, wrapping. */
export function pickCpus(name: string, available: readonly number[], count: number): number[] {
  const start = placeOf(name, available.length);
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push(available[(start + i) % available.length]!);
  return out.sort((a, b) => a - b);
}

/** The CPUs the parent group may use (what a child's cpuset must stay within). */
function parentCpus(groupDir: string, version: Cgroups["version"]): number[] | null {
  const parent = path.dirname(groupDir);
  const files = version === "v2" ? ["cpuset.cpus.effective"] : ["cpuset.effective_cpus", "cpuset.cpus"];
  for (const f of files) {
    try {
      return parseCpuList(fs.readFileSync(path.join(parent, f), "utf8"));
    } catch {
      /* next */
    }
  }
  return null;
}

/**
 * The `cpus` field for a server with CPU limit `cpu`: a CPU list, null for all of the
 * parent's (no CPU limit), or undefined when the host has no cpuset controller for us
 * (nproc then shows the host's CPUs; the quota still limits).
 */
export function cpusFor(cg: Cgroups, name: string, cpu: number | null): string | null | undefined {
  const dir = cg.controllerDir(name, "cpuset");
  if (dir === null || !cg.controllers.includes("cpuset")) return undefined;
  if (cpu === null) return null;
  const available = parentCpus(dir, cg.version);
  if (!available || available.length === 0) return undefined;
  const count = pinnedCpuCount(cpu, available.length);
  if (count >= available.length) return null;
  return formatCpuList(pickCpus(name, available, count));
}
