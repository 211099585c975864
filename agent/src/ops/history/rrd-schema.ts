/**
 * The layout of the round-robin files: one data source per metric (cumulative counters
 * as DERIVE, so RRDtool turns them into rates and a counter that restarts with its
 * server becomes one unknown step instead of a spike), and the tiers the issue asks for:
 * 10 s for an hour, 1 min for two days, 30 min for a month, 6 h for two years, each
 * tier above the first with average, minimum and maximum. A server's file has a fixed
 * size of (360 + 3 × (2880 + 1488 + 2920)) rows × 17 sources × 8 bytes ≈ 3.0 MB.
 */
import type { HostMetric, ServerMetric } from "@/lib/protocol/usage";

/** The sampling step in seconds. */
export const stepSec = 10;

/** A missing sample turns a step unknown after this long (three samples). */
const heartbeat = 30;

/** One data source: its RRD name, kind, and the factor from the stored rate to the metric's unit. */
export interface Source {
  ds: string;
  kind: "GAUGE" | "DERIVE";
  scale: number;
}

/** The server file's sources, in order (RRDtool keeps them by position). */
export const serverSources: Record<ServerMetric, Source> = {
  cpu: { ds: "cpu", kind: "DERIVE", scale: 1e-6 }, // µs per second → cores
  cpuThrottled: { ds: "cpu_thr", kind: "DERIVE", scale: 1e-6 },
  memory: { ds: "mem", kind: "GAUGE", scale: 1 },
  memoryPeak: { ds: "mem_peak", kind: "GAUGE", scale: 1 },
  swap: { ds: "swap", kind: "GAUGE", scale: 1 },
  tasks: { ds: "tasks", kind: "GAUGE", scale: 1 },
  ioReadBytes: { ds: "io_rb", kind: "DERIVE", scale: 1 },
  ioWriteBytes: { ds: "io_wb", kind: "DERIVE", scale: 1 },
  ioReadOps: { ds: "io_rops", kind: "DERIVE", scale: 1 },
  ioWriteOps: { ds: "io_wops", kind: "DERIVE", scale: 1 },
  netRxBytes: { ds: "net_rxb", kind: "DERIVE", scale: 1 },
  netTxBytes: { ds: "net_txb", kind: "DERIVE", scale: 1 },
  netRxPackets: { ds: "net_rxp", kind: "DERIVE", scale: 1 },
  netTxPackets: { ds: "net_txp", kind: "DERIVE", scale: 1 },
  diskBytes: { ds: "disk_b", kind: "GAUGE", scale: 1 },
  diskInodes: { ds: "disk_i", kind: "GAUGE", scale: 1 },
  oomKills: { ds: "oom", kind: "DERIVE", scale: 1 },
};

/** The host file's sources, in order. */
export const hostSources: Record<HostMetric, Source> = {
  cpu: { ds: "cpu_busy", kind: "DERIVE", scale: 0.01 }, // USER_HZ ticks per second → cores
  memoryUsed: { ds: "mem_used", kind: "GAUGE", scale: 1 },
  memoryTotal: { ds: "mem_total", kind: "GAUGE", scale: 1 },
  swapUsed: { ds: "swap_used", kind: "GAUGE", scale: 1 },
  load1: { ds: "load1", kind: "GAUGE", scale: 1 },
  netRxBytes: { ds: "net_rxb", kind: "DERIVE", scale: 1 },
  netTxBytes: { ds: "net_txb", kind: "DERIVE", scale: 1 },
  netRxPackets: { ds: "net_rxp", kind: "DERIVE", scale: 1 },
  netTxPackets: { ds: "net_txp", kind: "DERIVE", scale: 1 },
  ioReadBytes: { ds: "io_rb", kind: "DERIVE", scale: 1 },
  ioWriteBytes: { ds: "io_wb", kind: "DERIVE", scale: 1 },
  ioReadOps: { ds: "io_rops", kind: "DERIVE", scale: 1 },
  ioWriteOps: { ds: "io_wops", kind: "DERIVE", scale: 1 },
  diskUsed: { ds: "disk_used", kind: "GAUGE", scale: 1 },
  diskTotal: { ds: "disk_total", kind: "GAUGE", scale: 1 },
  servers: { ds: "servers", kind: "GAUGE", scale: 1 },
};

/** The tiers: [steps per row, rows]. */
export const tiers: readonly [number, number][] = [
  [1, 360], // 10 s × 1 h
  [6, 2880], // 1 min × 2 days
  [180, 1488], // 30 min × 31 days
  [2160, 2920], // 6 h × 2 years
];

/** The arguments of rrdcached's CREATE after the file name. */
export function createArgs(sources: Record<string, Source>, startSec: number): string[] {
  const ds = Object.values(sources).map((s) => `DS:${s.ds}:${s.kind}:${heartbeat}:0:U`);
  const rra = tiers.flatMap(([steps, rows]) => (steps === 1 ? ["AVERAGE"] : ["AVERAGE", "MIN", "MAX"]).map((cf) => `RRA:${cf}:0.5:${steps}:${rows}`));
  return ["-s", String(stepSec), "-b", String(startSec), "-O", ...ds, ...rra];
}

/** One update's value text: an integer for counters (RRDtool refuses fractions there), U for unknown. */
export function valueText(value: number | null | undefined, kind: Source["kind"]): string {
  if (value === null || value === undefined || !Number.isFinite(value) || value < 0) return "U";
  return kind === "DERIVE" ? String(Math.floor(value)) : String(Math.round(value * 1000) / 1000);
}

/** The `TIME:v1:v2:…` argument of an update, values in the sources' order. */
export function updateArg(sources: Record<string, Source>, atSec: number, values: Record<string, number | null | undefined>): string {
  return [String(atSec), ...Object.entries(sources).map(([metric, s]) => valueText(values[metric], s.kind))].join(":");
}
