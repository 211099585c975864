/**
 * Usage counters of a v2 group. cpu.stat's usage lines exist even without the cpu
 * controller; throttling lines, memory.*, pids.* and io.stat only with their controller.
 */
import path from "node:path";
import type { CgroupIo } from "../cgroup-io";
import { parseFlatKeyed, parseInteger, parseNestedKeyed } from "../parse-files";
import type { CgroupUsage } from "../types";

/** Reads usage of the group at `dir`; `processes` comes from the caller's walk. */
export async function readV2Usage(io: CgroupIo, dir: string, processes: number): Promise<CgroupUsage> {
  const read = async (name: string): Promise<string | null> => {
    const file = path.join(dir, name);
    return (await io.exists(file)) ? io.read(file) : null;
  };
  const int = (text: string | null, name: string) => (text === null ? null : parseInteger(text, name));

  const cpuStat = parseFlatKeyed((await read("cpu.stat")) ?? "");
  const cpu: CgroupUsage["cpu"] = cpuStat.has("usage_usec")
    ? {
        usageUsec: cpuStat.get("usage_usec") ?? 0,
        userUsec: cpuStat.get("user_usec") ?? 0,
        systemUsec: cpuStat.get("system_usec") ?? 0,
        throttling: cpuStat.has("nr_periods")
          ? {
              periods: cpuStat.get("nr_periods") ?? 0,
              throttledPeriods: cpuStat.get("nr_throttled") ?? 0,
              throttledUsec: cpuStat.get("throttled_usec") ?? 0,
            }
          : null,
      }
    : null;

  let memory: CgroupUsage["memory"] = null;
  const current = int(await read("memory.current"), "memory.current");
  if (current !== null) {
    const events = parseFlatKeyed((await read("memory.events")) ?? "");
    memory = {
      currentBytes: current,
      peakBytes: int(await read("memory.peak"), "memory.peak"),
      swapBytes: int(await read("memory.swap.current"), "memory.swap.current"),
      oomKills: events.get("oom_kill") ?? 0,
    };
  }

  const ioStat = await read("io.stat");
  let ioUsage: CgroupUsage["io"] = null;
  if (ioStat !== null) {
    const devices = [...parseNestedKeyed(ioStat)]
      .map(([device, values]) => ({ device, readBytes: values.get("rbytes") ?? 0, writeBytes: values.get("wbytes") ?? 0 }))
      .sort((a, b) => a.device.localeCompare(b.device));
    ioUsage = {
      readBytes: devices.reduce((sum, d) => sum + d.readBytes, 0),
      writeBytes: devices.reduce((sum, d) => sum + d.writeBytes, 0),
      devices,
    };
  }

  return { cpu, memory, tasks: int(await read("pids.current"), "pids.current"), processes, io: ioUsage };
}
