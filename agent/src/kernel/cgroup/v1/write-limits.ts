/**
 * Writing a limits patch on v1, as undoable steps (limit-steps.ts). Memory goes first
 * because it is the write most likely to fail (EBUSY), so a failure changes nothing else.
 *
 * Lowering memory below what the group uses: the v1 kernel tries to reclaim and, if it
 * cannot, answers EBUSY. We report that as BUSY naming the field and keep the old limit;
 * the agent never OOM-kills a guest as a side effect of a plan change (v2 does the same
 * by checking first, see v2/write-limits.ts).
 */
import path from "node:path";
import { AgentFailure } from "../../../errors";
import { formatSize } from "../../units";
import { errnoOf, type CgroupIo } from "../cgroup-io";
import { ioLimitsToWrite } from "../io-limits-to-write";
import type { LimitStep } from "../limit-steps";
import { parseLimit } from "../parse-files";
import type { CgroupLimits, CgroupLimitsPatch, IoLimit } from "../types";
import { cfsPeriodUs, v1IoFiles, weightToShares, type V1DirOf } from "./read-limits";

const raw = (value: number | null) => (value === null ? "-1" : String(value));

/** Turns a validated patch into steps; refuses (UNSUPPORTED) before any write. */
export async function planV1Limits(
  io: CgroupIo,
  dirOf: V1DirOf,
  patch: CgroupLimitsPatch,
  current: CgroupLimits,
  parentCpus: string,
): Promise<LimitStep[]> {
  const need = (controller: string, field: string): string => {
    const dir = dirOf(controller);
    if (!dir) {
      throw new AgentFailure("UNSUPPORTED", `${field}: the v1 ${controller} controller is not mounted on this host`, field);
    }
    return dir;
  };
  const steps: LimitStep[] = [];

  if (patch.memory !== undefined || patch.swap !== undefined) {
    const field = patch.memory !== undefined ? "memory" : "swap";
    const dir = need("memory", field);
    const hasMemsw = await io.exists(path.join(dir, "memory.memsw.limit_in_bytes"));
    const memory = patch.memory !== undefined ? patch.memory : current.memory;
    const swap = patch.swap !== undefined ? patch.swap : current.swap;
    if (!hasMemsw && patch.swap !== undefined && patch.swap !== null) {
      throw new AgentFailure(
        "UNSUPPORTED",
        "swap: this host has no swap accounting (no memory.memsw.limit_in_bytes; boot with swapaccount=1)",
        "swap",
      );
    }
    // Unlimited memory makes memsw unlimited, so swap follows unless it was asked for.
    if (hasMemsw && patch.swap !== undefined && patch.swap !== null && memory === null) {
      throw new AgentFailure(
        "UNSUPPORTED",
        "swap: cgroup v1 limits memory and swap together (memsw = memory + swap), so a swap limit needs a memory limit",
        "swap",
      );
    }
    const memsw = (m: number | null, s: number | null) => (m === null || s === null ? null : m + s);
    steps.push({
      field,
      apply: () => writeMemory(io, dir, field, memory, hasMemsw ? memsw(memory, swap) : undefined),
      undo: () => writeMemory(io, dir, field, current.memory, hasMemsw ? memsw(current.memory, current.swap) : undefined),
    });
  }
  if (patch.pids !== undefined) {
    const file = path.join(need("pids", "pids"), "pids.max");
    const write = (value: number | null) => io.write(file, value === null ? "max" : String(value));
    steps.push({ field: "pids", apply: () => write(patch.pids ?? null), undo: () => write(current.pids) });
  }
  if (patch.cpuQuota !== undefined) {
    const dir = need("cpu", "cpuQuota");
    const write = async (quota: number | null) => {
      await io.write(path.join(dir, "cpu.cfs_period_us"), String(cfsPeriodUs));
      await io.write(path.join(dir, "cpu.cfs_quota_us"), quota === null ? "-1" : String(Math.round(quota * cfsPeriodUs)));
    };
    steps.push({ field: "cpuQuota", apply: () => write(patch.cpuQuota ?? null), undo: () => write(current.cpuQuota) });
  }
  if (patch.cpuWeight !== undefined) {
    const file = path.join(need("cpu", "cpuWeight"), "cpu.shares");
    const weight = patch.cpuWeight;
    steps.push({
      field: "cpuWeight",
      apply: () => io.write(file, String(weightToShares(weight))),
      undo: () => io.write(file, String(weightToShares(current.cpuWeight))),
    });
  }
  if (patch.cpus !== undefined) {
    const file = path.join(need("cpuset", "cpus"), "cpuset.cpus");
    const cpus = patch.cpus;
    steps.push({
      field: "cpus",
      apply: () => io.write(file, cpus ?? parentCpus),
      undo: () => io.write(file, current.cpus ?? parentCpus),
    });
  }
  if (patch.io !== undefined) {
    const dir = need("blkio", "io");
    const target = patch.io;
    steps.push({ field: "io", apply: () => writeIo(io, dir, target, current.io), undo: () => writeIo(io, dir, current.io, target) });
  }
  return steps;
}

/** Writes memory (and memsw) in the order the kernel accepts: memsw >= memory at all times. */
async function writeMemory(
  io: CgroupIo,
  dir: string,
  field: string,
  memory: number | null,
  memsw: number | null | undefined,
) {
  const memoryFile = path.join(dir, "memory.limit_in_bytes");
  if (memsw === undefined) return writeOrBusy(io, dir, field, "memory", memory);
  const currentMemory = parseLimit(await io.read(memoryFile), memoryFile) ?? Infinity;
  if ((memsw ?? Infinity) >= currentMemory) {
    await writeOrBusy(io, dir, field, "memory.memsw", memsw);
    await writeOrBusy(io, dir, field, "memory", memory);
  } else {
    await writeOrBusy(io, dir, field, "memory", memory);
    await writeOrBusy(io, dir, field, "memory.memsw", memsw);
  }
}

/** Writes `<prefix>.limit_in_bytes`, turning EBUSY into a BUSY failure naming `field`. */
async function writeOrBusy(io: CgroupIo, dir: string, field: string, prefix: string, value: number | null) {
  const file = path.join(dir, `${prefix}.limit_in_bytes`);
  try {
    await io.write(file, raw(value));
  } catch (error) {
    if (errnoOf(error) !== "EBUSY") throw error;
    const usageFile = `${prefix}.usage_in_bytes`;
    const usage = await io.read(path.join(dir, usageFile)).then((text) => formatSize(Number(text.trim())), () => "more");
    throw new AgentFailure(
      "BUSY",
      `${field}: cannot lower the limit to ${formatSize(value)}: the vserver uses ${usage} and the kernel ` +
        `could not reclaim enough (EBUSY writing ${file}); the old limit stays. Free memory in the vserver or choose a higher limit`,
      field,
      { cause: error },
    );
  }
}

/** Sets every listed device's four limits (0 = none on v1) and clears devices no longer listed. */
async function writeIo(io: CgroupIo, dir: string, target: readonly IoLimit[], previous: readonly IoLimit[]) {
  for (const limit of ioLimitsToWrite(target, previous)) {
    for (const [field, name] of Object.entries(v1IoFiles) as [keyof typeof v1IoFiles, string][]) {
      await io.write(path.join(dir, name), `${limit.device} ${limit[field] ?? 0}`);
    }
  }
}
