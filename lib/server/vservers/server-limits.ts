/**
 * The panel stores limits in plan units (MB, thousandths of a core, Mbit/s); the agent
 * takes bytes, cores and bits/s. This is the one place that converts.
 */
import type { VserverLimits } from "@/lib/protocol/vservers";

/** Limits as stored on a VServer row. */
export interface RowLimits {
  cpuMilli: number;
  cpuWeight: number;
  memoryMb: number;
  swapMb: number;
  diskMb: number;
  inodes: number;
  pids: number;
  ioReadBps: number;
  ioWriteBps: number;
  ioReadIops: number;
  ioWriteIops: number;
  netRateMbit: number;
}

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
  const { cpuMilli, cpuWeight, memoryMb, swapMb, diskMb, inodes, pids, ioReadBps, ioWriteBps, ioReadIops, ioWriteIops, netRateMbit } = r;
  return { cpuMilli, cpuWeight, memoryMb, swapMb, diskMb, inodes, pids, ioReadBps, ioWriteBps, ioReadIops, ioWriteIops, netRateMbit };
}
