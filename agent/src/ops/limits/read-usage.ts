/** `getUsage` / `vlimit NAME`: what a server uses now (cgroup counters, traffic). */
import type { VserverUsage } from "@/lib/protocol/vservers";
import type { HostPaths } from "../../config/paths";
import { readVserverConfig } from "../../config/vserver/read-config";
import { readVserverCounters } from "../../kernel/net";
import { readDiskUsage } from "../../kernel/disk";
import { diskEnvOf, diskModeOf } from "../disk/disk-area";
import { hostCgroups } from "../runtime/host-cgroups";
import { initAlive, readRunState } from "../runtime/run-state";

/** A server's disk area as `vlimit` shows it: how it is enforced, used and still free. */
export interface DiskState {
  mode: "project" | "loop";
  bytesUsed: number;
  /** What the guest can still write: 0 means it is at its limit (in loop mode the image's
   * own metadata takes part of the size, so "used" stays under the limit). */
  bytesAvailable: number;
  bytesLimit: number;
  inodesUsed: number;
}

/** The disk area of `name`, or null when it has none (or it cannot be read right now). */
export async function readDiskState(paths: HostPaths, name: string): Promise<DiskState | null> {
  const mode = diskModeOf(paths, name);
  if (mode === "none") return null;
  try {
    const d = await readDiskUsage(name, diskEnvOf(paths));
    return { mode, bytesUsed: d.bytesUsed, bytesAvailable: d.bytesAvailable, bytesLimit: d.bytesLimit, inodesUsed: d.inodesUsed };
  } catch {
    return null; // usage is best effort (an image being resized)
  }
}

/** Usage of `name`; a stopped server uses nothing (nulls and zeros). */
export async function readUsage(paths: HostPaths, name: string): Promise<VserverUsage> {
  const cfg = readVserverConfig(paths, name);
  const state = readRunState(paths, name);
  const running = state !== null && initAlive(state);
  const none: VserverUsage = {
    name, running, cpuUsageUsec: null, cpuUserUsec: null, cpuSystemUsec: null, memoryBytes: null, memoryPeakBytes: null,
    swapBytes: null, oomKills: null, processes: 0, ioReadBytes: null, ioWriteBytes: null, diskBytesUsed: null,
    diskInodesUsed: null, netRxBytes: null, netTxBytes: null, sampledAt: new Date().toISOString(),
  };
  const disk = await readDiskState(paths, name);
  if (disk) {
    none.diskBytesUsed = disk.bytesUsed;
    none.diskInodesUsed = disk.inodesUsed;
  }
  if (!running) return none;
  const u = await (await hostCgroups()).usage(name);
  let net: { rx: number | null; tx: number | null } = { rx: null, tx: null };
  if (state.network) {
    try {
      const c = await readVserverCounters(cfg.context);
      net = { rx: c.rxBytes, tx: c.txBytes };
    } catch {
      // counters are best effort (the link may be going away)
    }
  }
  return {
    ...none,
    cpuUsageUsec: u.cpu?.usageUsec ?? null,
    cpuUserUsec: u.cpu?.userUsec ?? null,
    cpuSystemUsec: u.cpu?.systemUsec ?? null,
    memoryBytes: u.memory?.currentBytes ?? null,
    memoryPeakBytes: u.memory?.peakBytes ?? null,
    swapBytes: u.memory?.swapBytes ?? null,
    oomKills: u.memory?.oomKills ?? null,
    processes: u.processes,
    ioReadBytes: u.io?.readBytes ?? null,
    ioWriteBytes: u.io?.writeBytes ?? null,
    netRxBytes: net.rx,
    netTxBytes: net.tx,
  };
}
