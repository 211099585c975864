/** Reading a v2 group's limits back from the kernel. */
import path from "node:path";
import type { CgroupIo } from "../cgroup-io";
import { parseInteger, parseLimit, parseNestedKeyed } from "../parse-files";
import type { CgroupLimits } from "../types";

/** io.max keys for each IO limit field. */
export const v2IoKeys = { readBps: "rbps", writeBps: "wbps", readIops: "riops", writeIops: "wiops" } as const;

/** Reads every limit of the group at `dir`; files of absent controllers read as unlimited. */
export async function readV2Limits(io: CgroupIo, dir: string): Promise<CgroupLimits> {
  const file = async (name: string): Promise<string | null> => {
    const target = path.join(dir, name);
    return (await io.exists(target)) ? io.read(target) : null;
  };
  const limits: CgroupLimits = { cpuQuota: null, cpuWeight: 100, cpus: null, memory: null, swap: null, pids: null, io: [] };

  const cpuMax = await file("cpu.max");
  if (cpuMax !== null) {
    const [quota = "max", period = "100000"] = cpuMax.trim().split(/\s+/);
    limits.cpuQuota = quota === "max" ? null : parseInteger(quota, "cpu.max") / parseInteger(period, "cpu.max");
  }
  const weight = await file("cpu.weight");
  if (weight !== null) limits.cpuWeight = parseInteger(weight, "cpu.weight");
  const cpus = await file("cpuset.cpus");
  if (cpus !== null && cpus.trim() !== "") limits.cpus = cpus.trim();
  const memory = await file("memory.max");
  if (memory !== null) limits.memory = parseLimit(memory, "memory.max");
  const swap = await file("memory.swap.max");
  if (swap !== null) limits.swap = parseLimit(swap, "memory.swap.max");
  const pids = await file("pids.max");
  if (pids !== null) limits.pids = parseLimit(pids, "pids.max");

  for (const [device, values] of parseNestedKeyed((await file("io.max")) ?? "")) {
    limits.io.push({
      device,
      readBps: values.get(v2IoKeys.readBps) ?? null,
      writeBps: values.get(v2IoKeys.writeBps) ?? null,
      readIops: values.get(v2IoKeys.readIops) ?? null,
      writeIops: values.get(v2IoKeys.writeIops) ?? null,
    });
  }
  limits.io.sort((a, b) => a.device.localeCompare(b.device));
  return limits;
}
