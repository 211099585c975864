/**
 * Writing a limits patch on v2, as undoable steps (limit-steps.ts), memory first.
 *
 * memory.high is left at "max": it throttles an allocating guest in reclaim (which a
 * customer sees as a hang, not an error), v1 has no equivalent, and the plan sells one
 * hard RAM size. Lowering memory.max below memory.current would make the kernel OOM-kill
 * inside the group; like v1's EBUSY we refuse instead: ask the kernel to reclaim the
 * difference (memory.reclaim), and if usage is still above the new limit, answer BUSY
 * and keep the old one.
 */
import path from "node:path";
import { AgentFailure } from "../../../errors";
import { formatSize } from "../../units";
import type { CgroupIo } from "../cgroup-io";
import { ioLimitsToWrite } from "../io-limits-to-write";
import type { LimitStep } from "../limit-steps";
import { parseInteger } from "../parse-files";
import type { CgroupLimits, CgroupLimitsPatch, IoLimit } from "../types";
import { v2IoKeys } from "./read-limits";

/** The CFS period written with every cpu.max: 100 ms, the kernel default. */
export const cpuMaxPeriodUs = 100_000;

const max = (value: number | null) => (value === null ? "max" : String(value));

/** Turns a validated patch into steps; refuses (UNSUPPORTED) before any write. */
export async function planV2Limits(
  io: CgroupIo,
  dir: string,
  enabled: ReadonlySet<string>,
  patch: CgroupLimitsPatch,
  current: CgroupLimits,
): Promise<LimitStep[]> {
  const need = (controller: string, field: string): void => {
    if (!enabled.has(controller)) {
      throw new AgentFailure(
        "UNSUPPORTED",
        `${field}: the ${controller} controller is not enabled for ${dir} (cgroup.controllers: ${[...enabled].join(" ") || "none"})`,
        field,
      );
    }
  };
  const file = (name: string) => path.join(dir, name);
  const steps: LimitStep[] = [];
  const simple = (field: string, name: string, next: string, previous: string) =>
    steps.push({ field, apply: () => io.write(file(name), next), undo: () => io.write(file(name), previous) });

  if (patch.memory !== undefined) {
    need("memory", "memory");
    const memory = patch.memory;
    steps.push({
      field: "memory",
      apply: () => writeMemoryMax(io, dir, memory),
      undo: () => io.write(file("memory.max"), max(current.memory)),
    });
  }
  if (patch.swap !== undefined) {
    need("memory", "swap");
    if (!(await io.exists(file("memory.swap.max")))) {
      if (patch.swap !== null) {
        throw new AgentFailure("UNSUPPORTED", "swap: this host has no swap accounting (no memory.swap.max)", "swap");
      }
    } else {
      simple("swap", "memory.swap.max", max(patch.swap), max(current.swap));
    }
  }
  // The limits that are one value in one file: the patch's value and the current one,
  // written the same way.
  const oneFile = <F extends keyof CgroupLimits>(field: F, controller: string, name: string, text: (value: CgroupLimits[F]) => string) => {
    const next = patch[field];
    if (next === undefined) return;
    need(controller, field);
    simple(field, name, text(next as CgroupLimits[F]), text(current[field]));
  };
  oneFile("pids", "pids", "pids.max", max);
  oneFile("cpuQuota", "cpu", "cpu.max", (quota) => `${quota === null ? "max" : Math.round(quota * cpuMaxPeriodUs)} ${cpuMaxPeriodUs}`);
  oneFile("cpuWeight", "cpu", "cpu.weight", String);
  // "\n" (not "") empties cpuset.cpus: a zero-length write never reaches the kernel's handler.
  oneFile("cpus", "cpuset", "cpuset.cpus", (cpus) => cpus ?? "\n");
  if (patch.io !== undefined) {
    need("io", "io");
    const target = patch.io;
    steps.push({
      field: "io",
      apply: () => writeIoMax(io, dir, target, current.io),
      undo: () => writeIoMax(io, dir, current.io, target),
    });
  }
  return steps;
}

async function writeMemoryMax(io: CgroupIo, dir: string, memory: number | null): Promise<void> {
  const usage = async () => parseInteger(await io.read(path.join(dir, "memory.current")), "memory.current");
  if (memory !== null && (await usage()) > memory) {
    const reclaim = path.join(dir, "memory.reclaim");
    if (await io.exists(reclaim)) {
      // EAGAIN when the kernel reclaimed less than asked; the re-read below decides.
      await io.write(reclaim, String((await usage()) - memory)).catch(() => undefined);
    }
    const now = await usage();
    if (now > memory) {
      throw new AgentFailure(
        "BUSY",
        `memory: cannot lower the limit to ${formatSize(memory)}: the vserver uses ${formatSize(now)} and the kernel ` +
          `could not reclaim enough; the old limit stays. Free memory in the vserver or choose a higher limit`,
        "memory",
      );
    }
  }
  await io.write(path.join(dir, "memory.max"), max(memory));
}

/** One io.max line per device with all four keys, and all-"max" lines for dropped devices. */
async function writeIoMax(io: CgroupIo, dir: string, target: readonly IoLimit[], previous: readonly IoLimit[]) {
  for (const limit of ioLimitsToWrite(target, previous)) {
    const keys = (Object.keys(v2IoKeys) as (keyof typeof v2IoKeys)[]).map((f) => `${v2IoKeys[f]}=${max(limit[f])}`);
    await io.write(path.join(dir, "io.max"), `${limit.device} ${keys.join(" ")}`);
  }
}
