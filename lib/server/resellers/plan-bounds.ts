/**
 * What a reseller may put into one server: a bound per plan field, set by the admin on
 * the reseller's quota. The quota's totals cap CPU, memory, disk and addresses across
 * all of a reseller's servers; these bounds cap the rest per server (swap, CPU weight,
 * processes, inodes, IO, network rate, traffic), which a reseller could otherwise set
 * so high, or to 0 = unlimited, that one server starves its neighbours on a host.
 *
 * Fields whose 0 means "unlimited" (inodes, IO, network rate, traffic) take 0 only when
 * the admin's bound is 0 too ("may sell unlimited"); otherwise 1..bound.
 */
import { AppError } from "@/lib/errors";

/** The bound columns of ResellerQuota. */
export interface PlanBounds {
  planCpuWeightMax: number;
  planSwapMbMax: number;
  planPidsMax: number;
  planInodesMax: number;
  planIoReadBpsMax: number;
  planIoWriteBpsMax: number;
  planIoReadIopsMax: number;
  planIoWriteIopsMax: number;
  planNetRateMbitMax: number;
  planTrafficGbMax: number;
  planBackupSlotsMax: number;
  planBackupKeepMax: number;
}

/** One bounded field: the plan/server fields it covers and whether 0 means unlimited there. */
export interface PlanBoundField {
  bound: keyof PlanBounds;
  /** Plan fields (a value and its slider maximum, or one value) the bound caps. */
  fields: readonly string[];
  /** The server-row field, when the value reaches the host (trafficGb does not). */
  rowField?: string;
  zeroIsUnlimited: boolean;
  /** For the admin's form. */
  label: string;
}

/** Every bound, in form order. */
export const planBoundFields: readonly PlanBoundField[] = [
  { bound: "planCpuWeightMax", fields: ["cpuWeight"], rowField: "cpuWeight", zeroIsUnlimited: false, label: "CPU weight per server" },
  { bound: "planSwapMbMax", fields: ["swapMb", "swapMbMax"], rowField: "swapMb", zeroIsUnlimited: false, label: "Swap per server (MB)" },
  { bound: "planPidsMax", fields: ["pids", "pidsMax"], rowField: "pids", zeroIsUnlimited: false, label: "Processes per server" },
  { bound: "planInodesMax", fields: ["inodes"], rowField: "inodes", zeroIsUnlimited: true, label: "Inodes per server" },
  { bound: "planIoReadBpsMax", fields: ["ioReadBps"], rowField: "ioReadBps", zeroIsUnlimited: true, label: "Disk reads per server (bytes/s)" },
  { bound: "planIoWriteBpsMax", fields: ["ioWriteBps"], rowField: "ioWriteBps", zeroIsUnlimited: true, label: "Disk writes per server (bytes/s)" },
  { bound: "planIoReadIopsMax", fields: ["ioReadIops"], rowField: "ioReadIops", zeroIsUnlimited: true, label: "Disk read operations per server (IOPS)" },
  { bound: "planIoWriteIopsMax", fields: ["ioWriteIops"], rowField: "ioWriteIops", zeroIsUnlimited: true, label: "Disk write operations per server (IOPS)" },
  { bound: "planNetRateMbitMax", fields: ["netRateMbit"], rowField: "netRateMbit", zeroIsUnlimited: true, label: "Network rate per server (Mbit/s)" },
  { bound: "planTrafficGbMax", fields: ["trafficGb"], zeroIsUnlimited: true, label: "Traffic per server (GB/month)" },
  { bound: "planBackupSlotsMax", fields: ["backupSlots"], zeroIsUnlimited: false, label: "On-demand backup slots per server" },
  { bound: "planBackupKeepMax", fields: ["keepDaily", "keepWeekly", "keepMonthly"], zeroIsUnlimited: false, label: "Scheduled backups kept per period (daily, weekly, monthly)" },
];

/** Why a value breaks its bound, or null when it fits. */
export function boundProblem(value: number, bound: number, zeroIsUnlimited: boolean): string | null {
  if (zeroIsUnlimited) {
    if (bound === 0) return null;
    if (value === 0) return `unlimited (0) is not allowed by your provider; at most ${bound}`;
  }
  return value > bound ? `your provider allows at most ${bound}` : null;
}

/**
 * Throws QUOTA_EXCEEDED naming the first field of `values` (a plan, or a server's
 * limits) beyond its bound. With `before` (a change), only values that change are
 * judged, so a server made before a bound was lowered can still be changed elsewhere.
 */
export function checkPlanBounds(values: Record<string, unknown>, bounds: PlanBounds, before?: Record<string, unknown>): void {
  for (const b of planBoundFields) {
    for (const field of b.fields) {
      const value = values[field];
      if (typeof value !== "number") continue;
      if (before && before[field] === value) continue;
      const problem = boundProblem(value, bounds[b.bound], b.zeroIsUnlimited);
      if (problem) throw new AppError("QUOTA_EXCEEDED", `${field}: ${problem}`, field);
    }
  }
}

/**
 * For a reseller's new plan: the fields where 0 means unlimited that the input leaves
 * out take the bound (the most the reseller may sell), or 0 where the admin allows
 * unlimited. A 0 the input states is judged, and refused where not allowed.
 */
export function omittedBoundValues(input: Record<string, unknown>, bounds: PlanBounds): Record<string, number> {
  const out: Record<string, number> = {};
  for (const b of planBoundFields) {
    if (!b.zeroIsUnlimited) continue;
    for (const field of b.fields) if (input[field] === undefined) out[field] = bounds[b.bound];
  }
  return out;
}

/** The bounds of a quota row (or any object with the columns). */
export function planBoundsOf(row: PlanBounds): PlanBounds {
  return Object.fromEntries(planBoundFields.map((b) => [b.bound, row[b.bound]])) as unknown as PlanBounds;
}
