/**
 * Checks a limits patch before anything is written, so bad input changes nothing and
 * the error names the field. Backend-specific refusals (a controller the host lacks,
 * swap without memsw) are UNSUPPORTED and come from the backends.
 */
import { badInput } from "../../errors";
import { formatSize } from "../units";
import type { BlockDeviceKind } from "./block-device";
import type { HostResources } from "./host-facts";
import { parseCpuList } from "./parse-files";
import type { CgroupLimitsPatch, IoLimit } from "./types";

/** What validation needs to know about the host. */
export interface LimitContext {
  resources: HostResources;
  checkDevice(device: string): Promise<BlockDeviceKind>;
}

/** The smallest memory limit accepted: below it even a guest's init cannot start. */
export const minimumMemory = 4 * 1024 * 1024;
/** The smallest CPU quota: the kernel's minimum of 1 ms per 100 ms period. */
export const minimumCpuQuota = 0.01;
/** The kernel's PID_MAX_LIMIT on 64-bit. */
export const maximumPids = 4194304;

const knownFields = new Set(["cpuQuota", "cpuWeight", "cpus", "memory", "swap", "pids", "io"]);
const ioRates = ["readBps", "writeBps", "readIops", "writeIops"] as const;

function wholeNumber(value: unknown, field: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value)) {
    throw badInput(field, `must be a whole number, got ${JSON.stringify(value)}`);
  }
  if (value < 0) throw badInput(field, "must not be negative");
  if (value < min) throw badInput(field, `must be at least ${min} (null for unlimited)`);
  if (value > max) throw badInput(field, `must be at most ${max}`);
  return value;
}

/** Throws BAD_REQUEST (with `field`) for the first thing wrong in `patch`. */
export async function validateLimits(patch: CgroupLimitsPatch, context: LimitContext): Promise<void> {
  for (const key of Object.keys(patch)) {
    if (!knownFields.has(key)) throw badInput(key, "unknown limit");
  }
  const { resources } = context;
  if (patch.cpuQuota !== undefined && patch.cpuQuota !== null) {
    const quota = patch.cpuQuota;
    if (typeof quota !== "number" || !Number.isFinite(quota)) throw badInput("cpuQuota", "must be a number of cores");
    if (quota <= 0) throw badInput("cpuQuota", "must be above zero (null for unlimited)");
    if (quota < minimumCpuQuota) throw badInput("cpuQuota", `must be at least ${minimumCpuQuota} of a core`);
    if (quota > resources.cpuCount) {
      throw badInput("cpuQuota", `${quota} cores is above the host's ${resources.cpuCount} CPUs`);
    }
  }
  if (patch.cpuWeight !== undefined) wholeNumber(patch.cpuWeight, "cpuWeight", 1, 10000);
  if (patch.cpus !== undefined && patch.cpus !== null) {
    const cpus = typeof patch.cpus === "string" ? parseCpuList(patch.cpus) : null;
    if (!cpus || cpus.length === 0) throw badInput("cpus", `"${patch.cpus}" is not a CPU list like "0-1,3"`);
    const missing = cpus.filter((cpu) => !resources.onlineCpus.includes(cpu));
    if (missing.length) throw badInput("cpus", `CPU ${missing.join(", ")} is not online on this host`);
  }
  if (patch.memory !== undefined && patch.memory !== null) {
    const memory = wholeNumber(patch.memory, "memory", 0);
    if (memory === 0) throw badInput("memory", "must be above zero (null for unlimited)");
    if (memory < minimumMemory) throw badInput("memory", `must be at least ${formatSize(minimumMemory)}`);
    if (memory > resources.memoryBytes) {
      throw badInput("memory", `${formatSize(memory)} is above the host's ${formatSize(resources.memoryBytes)}`);
    }
  }
  if (patch.swap !== undefined && patch.swap !== null) wholeNumber(patch.swap, "swap", 0);
  if (patch.pids !== undefined && patch.pids !== null) wholeNumber(patch.pids, "pids", 1, maximumPids);
  if (patch.io !== undefined) await validateIo(patch.io, context);
}

async function validateIo(io: readonly IoLimit[], context: LimitContext): Promise<void> {
  if (!Array.isArray(io)) throw badInput("io", "must be a list of per-device limits");
  const seen = new Set<string>();
  for (const [index, limit] of io.entries()) {
    const field = `io[${index}]`;
    const device = limit?.device;
    if (typeof device !== "string" || !/^\d+:\d+$/.test(device)) {
      throw badInput(`${field}.device`, `${JSON.stringify(device)} is not MAJ:MIN`);
    }
    if (seen.has(device)) throw badInput(`${field}.device`, `${device} is listed twice`);
    seen.add(device);
    const kind = await context.checkDevice(device);
    if (kind === "missing") throw badInput(`${field}.device`, `${device} is not a block device on this host`);
    if (kind === "partition") {
      throw badInput(`${field}.device`, `${device} is a partition; IO limits apply to whole disks`);
    }
    for (const rate of ioRates) {
      const value = limit[rate];
      if (value === undefined) throw badInput(`${field}.${rate}`, "missing (null for unlimited)");
      if (value !== null) wholeNumber(value, `${field}.${rate}`, 1);
    }
  }
}
