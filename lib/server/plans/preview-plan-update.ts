/** The effect a change of the plan would have, without saving it. */
import type { Db } from "@/lib/db/client";
import type { Actor } from "@/lib/server/actor";
import { loadOwnedPlan } from "./owned-plans";
import { sliderPairs } from "./plan-schemas";

/** What saving a change of a plan does to the servers on it, shown before saving. */
export interface PlanUpdateEffect {
  servers: number;
  /** Servers whose value is above a lowered maximum: they keep it, their sliders can only go down. */
  aboveMaximum: { serverId: string; name: string; field: string; value: number; max: number }[];
  /** Defaults that change: for new servers and plan changes only; servers on the plan keep theirs. */
  changedDefaults: string[];
}

/** The effect a change of the plan would have, without saving it. */
export async function previewPlanUpdate(db: Db, actor: Actor, id: string, raw: unknown): Promise<PlanUpdateEffect> {
  const { plan, merged } = await loadOwnedPlan(db, actor, id, raw);
  const servers = await db.vServer.findMany({ where: { planId: id }, select: { id: true, name: true, cpuMilli: true, memoryMb: true, swapMb: true, diskMb: true, pids: true } });
  const aboveMaximum = servers.flatMap((s) => sliderPairs.filter(([v, m]) => s[v] > merged[m]).map(([v, m]) => ({ serverId: s.id, name: s.name, field: v, value: s[v], max: merged[m] })));
  const defaults = ["cpuMilli", "cpuWeight", "memoryMb", "swapMb", "diskMb", "inodes", "pids", "ioReadBps", "ioWriteBps", "ioReadIops", "ioWriteIops", "netRateMbit", "ipv4Count", "ipv6Count"] as const;
  return { servers: servers.length, aboveMaximum, changedDefaults: defaults.filter((k) => merged[k] !== plan[k]) };
}
