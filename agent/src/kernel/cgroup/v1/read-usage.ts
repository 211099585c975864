/** Usage counters of a v1 group, from cpuacct, cpu, memory, pids and blkio. */
import path from "node:path";
import type { CgroupIo } from "../cgroup-io";
import { parseFlatKeyed, parseInteger } from "../parse-files";
import type { CgroupUsage } from "../types";
import type { V1DirOf } from "./read-limits";

/** Reads usage; `processes` comes from the caller, which walks every hierarchy. */
export async function readV1Usage(io: CgroupIo, dirOf: V1DirOf, processes: number): Promise<CgroupUsage> {
  const read = async (controller: string, name: string): Promise<string | null> => {
    const dir = dirOf(controller);
    if (!dir || !(await io.exists(path.join(dir, name)))) return null;
    return io.read(path.join(dir, name));
  };
  const int = (text: string | null, name: string) => (text === null ? null : parseInteger(text, name));
  const usec = (ns: number | null) => (ns === null ? 0 : Math.round(ns / 1000));

  let cpu: CgroupUsage["cpu"] = null;
  const total = int(await read("cpuacct", "cpuacct.usage"), "cpuacct.usage");
  if (total !== null) {
    const stat = await read("cpu", "cpu.stat");
    const throttle = stat === null ? null : parseFlatKeyed(stat);
    // usage_user/usage_sys are tick samples (10 ms steps, and may exceed the precise
    // total); split the precise total in their ratio, as v2's cpu.stat does (cputime_adjust).
    const user = int(await read("cpuacct", "cpuacct.usage_user"), "cpuacct.usage_user") ?? 0;
    const system = int(await read("cpuacct", "cpuacct.usage_sys"), "cpuacct.usage_sys") ?? 0;
    const userShare = user + system > 0 ? user / (user + system) : 1;
    cpu = {
      usageUsec: usec(total),
      userUsec: usec(Math.round(total * userShare)),
      systemUsec: usec(total) - usec(Math.round(total * userShare)),
      throttling: throttle && {
        periods: throttle.get("nr_periods") ?? 0,
        throttledPeriods: throttle.get("nr_throttled") ?? 0,
        throttledUsec: usec(throttle.get("throttled_time") ?? 0),
      },
    };
  }

  let memory: CgroupUsage["memory"] = null;
  const current = int(await read("memory", "memory.usage_in_bytes"), "memory.usage_in_bytes");
  if (current !== null) {
    const memsw = int(await read("memory", "memory.memsw.usage_in_bytes"), "memory.memsw.usage_in_bytes");
    const oom = parseFlatKeyed((await read("memory", "memory.oom_control")) ?? "");
    memory = {
      currentBytes: current,
      peakBytes: int(await read("memory", "memory.max_usage_in_bytes"), "memory.max_usage_in_bytes"),
      swapBytes: memsw === null ? null : Math.max(0, memsw - current),
      oomKills: oom.get("oom_kill") ?? 0,
    };
  }

  const tasks = int(await read("pids", "pids.current"), "pids.current");

  let ioUsage: CgroupUsage["io"] = null;
  const serviced =
    (await read("blkio", "blkio.throttle.io_service_bytes_recursive")) ??
    (await read("blkio", "blkio.throttle.io_service_bytes"));
  if (serviced !== null) ioUsage = parseServiceBytes(serviced);

  return { cpu, memory, tasks, processes, io: ioUsage };
}

/** "MAJ:MIN Read N" / "MAJ:MIN Write N" lines (blkio.throttle.io_service_bytes*). */
export function parseServiceBytes(text: string): NonNullable<CgroupUsage["io"]> {
  const devices = new Map<string, { device: string; readBytes: number; writeBytes: number }>();
  for (const line of text.split("\n")) {
    const [device, op, value] = line.trim().split(/\s+/);
    if (!device || !/^\d+:\d+$/.test(device) || !value || (op !== "Read" && op !== "Write")) continue;
    const entry = devices.get(device) ?? { device, readBytes: 0, writeBytes: 0 };
    if (op === "Read") entry.readBytes += Number(value);
    else entry.writeBytes += Number(value);
    devices.set(device, entry);
  }
  const list = [...devices.values()].sort((a, b) => a.device.localeCompare(b.device));
  return {
    readBytes: list.reduce((sum, d) => sum + d.readBytes, 0),
    writeBytes: list.reduce((sum, d) => sum + d.writeBytes, 0),
    devices: list,
  };
}
