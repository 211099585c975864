/**
 * The host's own totals for the usage history: CPU, memory, swap, load, physical network
 * and disk traffic, and the space of the servers' filesystem — each from one /proc or
 * sysfs file (or one statfs), so a sample of the host costs about as much as one server's.
 */
import fs from "node:fs";
import { readSmallFile } from "../read-small-file";

/** Cumulative counters and gauges of the host. */
export interface HostCounters {
  /** CPU time in USER_HZ ticks (100 per second): all and idle (idle + iowait), cumulative. */
  cpuTicks: number;
  cpuIdleTicks: number;
  cpuCount: number;
  memoryTotalBytes: number;
  memoryUsedBytes: number;
  swapUsedBytes: number;
  /** 1-minute load average. */
  load1: number;
  netRxBytes: number;
  netTxBytes: number;
  netRxPackets: number;
  netTxPackets: number;
  ioReadBytes: number;
  ioWriteBytes: number;
  ioReadOps: number;
  ioWriteOps: number;
  diskUsedBytes: number | null;
  diskTotalBytes: number | null;
}

/** One interface's counters from /proc/net/dev. */
export interface LinkCounters {
  rxBytes: number;
  rxPackets: number;
  txBytes: number;
  txPackets: number;
}

/** Parses /proc/net/dev: every interface of the host's network namespace, by name. */
export function parseNetDev(text: string): Map<string, LinkCounters> {
  const out = new Map<string, LinkCounters>();
  for (const line of text.split("\n")) {
    const colon = line.indexOf(":");
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim();
    const f = line.slice(colon + 1).trim().split(/\s+/);
    if (f.length < 16) continue;
    out.set(name, { rxBytes: Number(f[0]), rxPackets: Number(f[1]), txBytes: Number(f[8]), txPackets: Number(f[9]) });
  }
  return out;
}

/** Every interface's counters now (one read for the host and all servers' veths). */
export function readNetDev(): Map<string, LinkCounters> {
  return parseNetDev(readSmallFile("/proc/net/dev") ?? "");
}

let physical: { at: number; links: Set<string> } | null = null;
let disks: { at: number; names: Set<string> } | null = null;

/** Interfaces backed by a device (NICs): the host's traffic without veths, bridges, lo. */
function physicalLinks(): Set<string> {
  if (!physical || Date.now() - physical.at > 60_000) {
    const links = new Set<string>();
    for (const name of fs.readdirSync("/sys/class/net")) if (fs.existsSync(`/sys/class/net/${name}/device`)) links.add(name);
    physical = { at: Date.now(), links };
  }
  return physical.links;
}

/** Whole disks (no partitions, loop images, device-mapper or RAM disks: they would count twice). */
function wholeDisks(): Set<string> {
  if (!disks || Date.now() - disks.at > 60_000) {
    const names = new Set(fs.readdirSync("/sys/block").filter((n) => !/^(loop|ram|zram|dm-|md|nbd|sr)/.test(n)));
    disks = { at: Date.now(), names };
  }
  return disks.names;
}

/** Parses the host's counters from the texts of its files (pure, for tests). */
export function parseHostCounters(files: { stat: string; meminfo: string; loadavg: string; diskstats: string }, net: Map<string, LinkCounters>, physicalNames: Set<string>, diskNames: Set<string>): Omit<HostCounters, "diskUsedBytes" | "diskTotalBytes"> {
  const cpuLine = files.stat.slice(0, files.stat.indexOf("\n")).trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal (guest time is already inside user)
  const ticks = cpuLine.slice(0, 8).reduce((a, b) => a + (b || 0), 0);
  const idle = (cpuLine[3] ?? 0) + (cpuLine[4] ?? 0);
  const cpuCount = (files.stat.match(/^cpu\d+ /gm) ?? []).length;
  const mem = (key: string) => {
    const m = new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(files.meminfo);
    return m ? Number(m[1]) * 1024 : 0;
  };
  const net0 = { netRxBytes: 0, netTxBytes: 0, netRxPackets: 0, netTxPackets: 0 };
  for (const [name, c] of net) {
    if (!physicalNames.has(name)) continue;
    net0.netRxBytes += c.rxBytes;
    net0.netTxBytes += c.txBytes;
    net0.netRxPackets += c.rxPackets;
    net0.netTxPackets += c.txPackets;
  }
  const io = { ioReadBytes: 0, ioWriteBytes: 0, ioReadOps: 0, ioWriteOps: 0 };
  for (const line of files.diskstats.split("\n")) {
    const f = line.trim().split(/\s+/);
    if (f.length < 10 || !diskNames.has(f[2]!)) continue;
    io.ioReadOps += Number(f[3]);
    io.ioReadBytes += Number(f[5]) * 512;
    io.ioWriteOps += Number(f[7]);
    io.ioWriteBytes += Number(f[9]) * 512;
  }
  return {
    cpuTicks: ticks,
    cpuIdleTicks: idle,
    cpuCount,
    memoryTotalBytes: mem("MemTotal"),
    memoryUsedBytes: Math.max(0, mem("MemTotal") - mem("MemAvailable")),
    swapUsedBytes: Math.max(0, mem("SwapTotal") - mem("SwapFree")),
    load1: Number(files.loadavg.split(" ")[0]) || 0,
    ...net0,
    ...io,
  };
}

/** The host's counters now; `net` is this sample's /proc/net/dev, `rootDir` the servers' filesystem. */
export function readHostCounters(net: Map<string, LinkCounters>, rootDir: string): HostCounters {
  const files = {
    stat: readSmallFile("/proc/stat") ?? "",
    meminfo: readSmallFile("/proc/meminfo") ?? "",
    loadavg: readSmallFile("/proc/loadavg") ?? "",
    diskstats: readSmallFile("/proc/diskstats") ?? "",
  };
  let diskUsedBytes: number | null = null;
  let diskTotalBytes: number | null = null;
  try {
    const s = fs.statfsSync(rootDir);
    diskTotalBytes = s.blocks * s.bsize;
    diskUsedBytes = (s.blocks - s.bfree) * s.bsize;
  } catch {
    // the root directory may not exist yet on a fresh host
  }
  return { ...parseHostCounters(files, net, physicalLinks(), wholeDisks()), diskUsedBytes, diskTotalBytes };
}
