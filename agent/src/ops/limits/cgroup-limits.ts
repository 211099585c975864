/** Maps the wire's limits (lib/protocol/vservers.ts) to the cgroup layer's. */
import type { VserverLimits, VserverLimitsPatch } from "@/lib/protocol/vservers";
import { AgentFailure } from "../../errors";
import { blockDeviceOf, type CgroupLimitsPatch, type IoLimit } from "../../kernel/cgroup";

/** Refuses limit combinations nothing can enforce, naming the field (no silent no-ops). */
export function checkEnforceable(patch: VserverLimitsPatch, fieldPrefix = "limits"): void {
  if (patch.diskInodes !== undefined && patch.diskInodes !== null && (patch.diskBytes === undefined || patch.diskBytes === null)) {
    throw new AgentFailure("BAD_REQUEST", `${fieldPrefix}.diskInodes: an inode limit needs a disk limit (diskBytes)`, `${fieldPrefix}.diskInodes`);
  }
}

/** Whether a patch touches any IO field. */
function touchesIo(p: VserverLimitsPatch): boolean {
  return p.ioReadBps !== undefined || p.ioWriteBps !== undefined || p.ioReadIops !== undefined || p.ioWriteIops !== undefined;
}

/**
 * The cgroup patch for a change from `current` to `current+patch`. IO limits apply to the
 * whole disk holding the root (`blockDeviceOf`); all four IO values go together.
 */
export async function cgroupPatchOf(root: string, current: VserverLimits, patch: VserverLimitsPatch): Promise<CgroupLimitsPatch> {
  const out: CgroupLimitsPatch = {};
  if (patch.cpu !== undefined) out.cpuQuota = patch.cpu;
  if (patch.cpuWeight !== undefined) out.cpuWeight = patch.cpuWeight;
  if (patch.memory !== undefined) out.memory = patch.memory;
  if (patch.swap !== undefined) out.swap = patch.swap;
  if (patch.pids !== undefined) out.pids = patch.pids;
  if (touchesIo(patch)) {
    const next = { ...current, ...patch };
    const io: IoLimit = {
      device: await blockDeviceOf(root),
      readBps: next.ioReadBps || null,
      writeBps: next.ioWriteBps || null,
      readIops: next.ioReadIops || null,
      writeIops: next.ioWriteIops || null,
    };
    out.io = io.readBps === null && io.writeBps === null && io.readIops === null && io.writeIops === null ? [] : [io];
  }
  return out;
}

/** The cgroup patch that sets all of `limits` on a fresh group (only what differs from
 * a new group's defaults, so an unlimited server costs no writes). */
export async function initialCgroupPatch(root: string, limits: VserverLimits): Promise<CgroupLimitsPatch> {
  const patch: VserverLimitsPatch = {};
  for (const [k, v] of Object.entries(limits) as [keyof VserverLimits, number | null][]) {
    if (k === "cpuWeight" ? v !== 100 : v !== null) (patch as Record<string, number | null>)[k] = v;
  }
  const { diskBytes: _d, diskInodes: _i, netRate: _n, ...cgroupPart } = patch;
  return cgroupPatchOf(root, limits, cgroupPart);
}
