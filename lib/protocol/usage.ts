/**
 * Wire types of the usage history: the metrics a host records every 10 s for each
 * running server and for itself, the series the panel asks for, the latest samples (for
 * live graphs and the panel's checks), and each server's traffic totals (for billing).
 * Rates are per second; sizes in bytes; CPU in cores (1 = one core busy all the time).
 */
import { z } from "zod";
import { vserverName } from "./vserver-name";

/** What is recorded for each server. */
export const serverMetric = z.enum([
  "cpu",
  /** Share of time the CPU quota held it back (0..1 per core-second). */
  "cpuThrottled",
  "memory",
  "memoryPeak",
  "swap",
  "tasks",
  "ioReadBytes",
  "ioWriteBytes",
  "ioReadOps",
  "ioWriteOps",
  "netRxBytes",
  "netTxBytes",
  "netRxPackets",
  "netTxPackets",
  "diskBytes",
  "diskInodes",
  /** OOM kills per second (a kill shows as a spike over its 10 s step). */
  "oomKills",
]);

/** One of {@link serverMetric}. */
export type ServerMetric = z.infer<typeof serverMetric>;

/** What is recorded for the host. */
export const hostMetric = z.enum([
  // By group, in the order the host's graphs show them.
  "cpu",
  "memoryUsed", "memoryTotal", "swapUsed",
  "load1",
  "netRxBytes", "netTxBytes", "netRxPackets", "netTxPackets",
  "ioReadBytes", "ioWriteBytes", "ioReadOps", "ioWriteOps",
  "diskUsed", "diskTotal",
  "servers",
]);

/** One of {@link hostMetric}. */
export type HostMetric = z.infer<typeof hostMetric>;

/** The fields of a time range in Unix seconds (before 2100). */
export const historyRangeFields = { from: z.number().int().min(0).max(4102444800), to: z.number().int().min(0).max(4102444800) };

/** Adds the range's checks (to after from, at most what the history keeps) to an input object. */
export function checkedRange<T extends z.ZodType<{ from: number; to: number }>>(schema: T): T {
  return schema
    .refine((r) => r.to > r.from, { message: "to must be after from", path: ["to"] })
    .refine((r) => r.to - r.from <= 800 * 86400, { message: "at most 800 days", path: ["to"] }) as unknown as T;
}

/** A time range in Unix seconds (at most two years and a bit: what the history keeps). */
export const historyRange = checkedRange(z.object(historyRangeFields).strict());

/** One metric's series: average per step, and the minimum and maximum within each step
 * (equal to the average at the finest tier, where a step is one sample). null = no data. */
export const historySeries = z.object({
  avg: z.array(z.number().nullable()),
  min: z.array(z.number().nullable()),
  max: z.array(z.number().nullable()),
});

/** Series of a range: point i is at `start + i * step` (Unix seconds, the step's end). */
export const historyResult = z.object({
  start: z.number().int(),
  step: z.number().int().positive(),
  points: z.number().int().nonnegative(),
  series: z.record(z.string(), historySeries),
});

/** Parsed form of {@link historyResult}. */
export type HistoryResult = z.infer<typeof historyResult>;

/** The latest values of one server (rates over the last sampling interval). */
export const serverSample = z.object({
  name: vserverName,
  /** Unix seconds. */
  at: z.number().int(),
  values: z.record(z.string(), z.number().nullable()),
});

/** Parsed form of {@link serverSample}. */
export type ServerSample = z.infer<typeof serverSample>;

/** The latest values of the host and of every running server. */
export const usageSamples = z.object({
  /** Sampling interval in seconds. */
  interval: z.number().int().positive(),
  host: z.object({ at: z.number().int(), values: z.record(z.string(), z.number().nullable()) }).nullable(),
  servers: z.array(serverSample),
});

/** Parsed form of {@link usageSamples}. */
export type UsageSamples = z.infer<typeof usageSamples>;

/** A server's traffic since it was created on this host (kept across agent restarts). */
export const trafficTotal = z.object({
  name: vserverName,
  /** Bytes the server received. */
  rxBytes: z.number().nonnegative(),
  /** Bytes the server sent. */
  txBytes: z.number().nonnegative(),
  /** When the ledger last counted it (ISO). */
  updatedAt: z.string(),
});

/** Parsed form of {@link trafficTotal}. */
export type TrafficTotal = z.infer<typeof trafficTotal>;
