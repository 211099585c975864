/** Reading a v1 group's limits back from the kernel (for reconciling after a restart). */
import path from "node:path";
import type { CgroupIo } from "../cgroup-io";
import { parseInteger, parseLimit } from "../parse-files";
import type { CgroupLimits, IoLimit } from "../types";

/** A group's directory in the hierarchy of a controller, or null when it is not mounted. */
export type V1DirOf = (controller: string) => string | null;

/** v1 blkio file for each IO limit field. */
export const v1IoFiles = {
  readBps: "blkio.throttle.read_bps_device",
  writeBps: "blkio.throttle.write_bps_device",
  readIops: "blkio.throttle.read_iops_device",
  writeIops: "blkio.throttle.write_iops_device",
} as const;

/** The period the agent uses for CFS bandwidth: 100 ms, the kernel default. */
export const cfsPeriodUs = 100_000;

/** v1 cpu.shares for a v2-style weight (100 → 1024), within the kernel's 2..262144. */
export function weightToShares(weight: number): number {
  return Math.max(2, Math.round((weight * 1024) / 100));
}

/** Inverse of {@link weightToShares}, clamped to the v2 range. */
export function sharesToWeight(shares: number): number {
  return Math.min(10000, Math.max(1, Math.round((shares * 100) / 1024)));
}

/** Reads every limit; controllers that are not mounted read as unlimited/default. */
export async function readV1Limits(io: CgroupIo, dirOf: V1DirOf, parentCpus: string | null): Promise<CgroupLimits> {
  const file = async (controller: string, name: string): Promise<string | null> => {
    const dir = dirOf(controller);
    if (!dir || !(await io.exists(path.join(dir, name)))) return null;
    return io.read(path.join(dir, name));
  };
  const limits: CgroupLimits = { cpuQuota: null, cpuWeight: 100, cpus: null, memory: null, swap: null, pids: null, io: [] };

  const quota = await file("cpu", "cpu.cfs_quota_us");
  const period = await file("cpu", "cpu.cfs_period_us");
  if (quota !== null && period !== null) {
    const quotaUs = parseInteger(quota, "cpu.cfs_quota_us");
    limits.cpuQuota = quotaUs < 0 ? null : quotaUs / parseInteger(period, "cpu.cfs_period_us");
  }
  const shares = await file("cpu", "cpu.shares");
  if (shares !== null) limits.cpuWeight = sharesToWeight(parseInteger(shares, "cpu.shares"));

  const cpus = await file("cpuset", "cpuset.cpus");
  if (cpus !== null && cpus.trim() !== (parentCpus ?? "").trim()) limits.cpus = cpus.trim();

  const memory = await file("memory", "memory.limit_in_bytes");
  if (memory !== null) limits.memory = parseLimit(memory, "memory.limit_in_bytes");
  const memsw = await file("memory", "memory.memsw.limit_in_bytes");
  if (memsw !== null && limits.memory !== null) {
    const total = parseLimit(memsw, "memory.memsw.limit_in_bytes");
    limits.swap = total === null ? null : total - limits.memory;
  }

  const pids = await file("pids", "pids.max");
  if (pids !== null) limits.pids = parseLimit(pids, "pids.max");

  const devices = new Map<string, IoLimit>();
  for (const [field, name] of Object.entries(v1IoFiles) as [keyof typeof v1IoFiles, string][]) {
    const text = (await file("blkio", name)) ?? "";
    for (const line of text.split("\n")) {
      const [device, value] = line.trim().split(/\s+/);
      if (!device || !value || !/^\d+:\d+$/.test(device)) continue;
      const limit = devices.get(device) ?? { device, readBps: null, writeBps: null, readIops: null, writeIops: null };
      limit[field] = parseLimit(value, name);
      devices.set(device, limit);
    }
  }
  limits.io = [...devices.values()].sort((a, b) => a.device.localeCompare(b.device));
  return limits;
}
