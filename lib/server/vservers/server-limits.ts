/**
 * The panel stores limits in plan units (MB, thousandths of a core, Mbit/s); the agent
 * takes bytes, cores and bits/s. This is the one place that converts.
 */
import { z } from "zod";
import type { VserverLimits } from "@/lib/protocol/vservers";

/** The limit columns of a VServer row, in plan units: the one list the type, the picker and the job payload schema come from. */
export const rowLimitKeys = ["cpuMilli", "cpuWeight", "memoryMb", "swapMb", "diskMb", "inodes", "pids", "ioReadBps", "ioWriteBps", "ioReadIops", "ioWriteIops", "netRateMbit"] as const;

/** Limits as stored on a VServer row. */
export type RowLimits = Record<(typeof rowLimitKeys)[number], number>;

/** Row limits as a job payload carries them (whole numbers, every column present). */
export const rowLimitsPayload = z.object(Object.fromEntries(rowLimitKeys.map((key) => [key, z.number().int()])) as Record<keyof RowLimits, z.ZodNumber>);

const MiB = 1024 * 1024;
const orNull = (n: number): number | null => (n > 0 ? n : null);

/** Converts row limits to the agent's wire limits (0 = unlimited where that makes sense). */
export function toAgentLimits(r: RowLimits): VserverLimits {
  return {
    cpu: r.cpuMilli / 1000,
    cpuWeight: r.cpuWeight,
    memory: r.memoryMb * MiB,
    swap: r.swapMb * MiB,
    pids: r.pids,
    diskBytes: r.diskMb * MiB,
    diskInodes: orNull(r.inodes),
    ioReadBps: orNull(r.ioReadBps),
    ioWriteBps: orNull(r.ioWriteBps),
    ioReadIops: orNull(r.ioReadIops),
    ioWriteIops: orNull(r.ioWriteIops),
    netRate: r.netRateMbit > 0 ? r.netRateMbit * 1_000_000 : null,
  };
}

/** Picks the RowLimits fields out of a row. */
export function rowLimits(r: RowLimits): RowLimits {
  return Object.fromEntries(rowLimitKeys.map((key) => [key, r[key]])) as RowLimits;
}
