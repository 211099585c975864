/**
 * How a change of a server's resources is carried out on its host, decided before
 * anything is touched, so a user is told in advance what it takes: the live limits
 * (CPU, memory, swap, processes, IO, network rate) change on the running server; the
 * disk changes live where the host can (a project quota always; a loop image grows
 * online only with CAP_SYS_RESOURCE in the agent), else with a stop, the change and a
 * start that the user confirms first; a disk change on a host that limits no disk is
 * refused. Pure: the host's capabilities and the server's state come in.
 */
import type { HostCapabilities } from "@/lib/protocol/health";
import type { VserverLimitsPatch } from "@/lib/protocol/vservers";
import { liveLimitKeys } from "@/lib/server/reconcile/plan-corrections";
import { type RowLimits, toAgentLimits } from "../server-limits";

/** How the disk part is done. */
export type DiskStep = "none" | "live" | "offline" | "restart";

/** The plan of a resize. */
export interface ResizePlan {
  /** Limits that change without a stop (empty: none). */
  livePatch: VserverLimitsPatch;
  /** The new disk size in bytes, when it changes. */
  diskBytes: number | null;
  /** live: while it runs; offline: it is stopped anyway; restart: stop, change, start. */
  disk: DiskStep;
  /** Why the change cannot be made at all (the field and the reason), or null. */
  refusal: { field: string; message: string } | null;
  /** What the user is told before confirming a restart, or null. */
  restartNotice: string | null;
}

/** Plans the change from `before` to `after` on a server that is (or is not) running. */
export function planResize(before: RowLimits, after: RowLimits, running: boolean, caps: HostCapabilities | null, hostName: string): ResizePlan {
  const from = toAgentLimits(before);
  const to = toAgentLimits(after);
  const livePatch: VserverLimitsPatch = {};
  for (const key of liveLimitKeys) if (from[key] !== to[key]) (livePatch as Record<string, unknown>)[key] = to[key];
  const plan: ResizePlan = { livePatch, diskBytes: null, disk: "none", refusal: null, restartNotice: null };
  if (before.diskMb === after.diskMb) return plan;
  plan.diskBytes = to.diskBytes;
  if (caps?.diskLimits === "none") {
    plan.refusal = { field: "diskMb", message: `host ${hostName} limits no disk space (${caps.diskReason}); the disk size cannot change there` };
    return plan;
  }
  if (!running) {
    plan.disk = "offline";
    return plan;
  }
  const grow = after.diskMb > before.diskMb;
  const can = diskAbilities(caps, running, hostName);
  const live = grow ? can.growLive : can.shrinkLive;
  if (live) {
    plan.disk = "live";
    return plan;
  }
  plan.disk = "restart";
  plan.restartNotice = grow
    ? `host ${hostName} cannot grow a running server's disk (${caps ? "its agent may not resize ext4 online" : "it has not said whether it can"}): the server will be stopped, its disk grown to ${after.diskMb} MB, and started again`
    : `a disk shrinks only while the server is stopped: it will be stopped, its disk shrunk to ${after.diskMb} MB (refused, with nothing changed, if its files do not fit), and started again`;
  return plan;
}

/** What a server's page may offer for its disk now: grow or shrink without a restart, or no change at all (why). */
export function diskAbilities(caps: HostCapabilities | null, running: boolean, hostName: string): { growLive: boolean; shrinkLive: boolean; fixed: string | null } {
  if (caps?.diskLimits === "none") return { growLive: false, shrinkLive: false, fixed: `Host ${hostName} limits no disk space (${caps.diskReason}).` };
  return { growLive: !running || caps?.onlineDiskGrow === true, shrinkLive: !running || caps?.diskLimits === "project", fixed: null };
}
