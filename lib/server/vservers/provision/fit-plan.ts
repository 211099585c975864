/**
 * Fits the requested sliders into a plan: missing values take the plan's default, and
 * anything above the plan's maximum is refused with the field named.
 */
import { AppError } from "@/lib/errors";
import { sliderPairs } from "@/lib/server/plans/plan-schemas";
import type { RowLimits } from "../server-limits";
import type { SliderInput } from "./provision-input";

/** The plan fields limits are drawn from. */
export interface PlanLimits {
  cpuMilli: number;
  cpuMilliMax: number;
  cpuWeight: number;
  memoryMb: number;
  memoryMbMax: number;
  swapMb: number;
  swapMbMax: number;
  diskMb: number;
  diskMbMax: number;
  inodes: number;
  pids: number;
  pidsMax: number;
  ioReadBps: number;
  ioWriteBps: number;
  ioReadIops: number;
  ioWriteIops: number;
  netRateMbit: number;
}


/** Row limits from the plan and the sliders; `current` (a resize) starts from the server's values. */
export function fitPlan(plan: PlanLimits, wanted: SliderInput, current?: RowLimits): RowLimits {
  const out: RowLimits = current
    ? { ...current }
    : {
        cpuMilli: plan.cpuMilli,
        cpuWeight: plan.cpuWeight,
        memoryMb: plan.memoryMb,
        swapMb: plan.swapMb,
        diskMb: plan.diskMb,
        inodes: plan.inodes,
        pids: plan.pids,
        ioReadBps: plan.ioReadBps,
        ioWriteBps: plan.ioWriteBps,
        ioReadIops: plan.ioReadIops,
        ioWriteIops: plan.ioWriteIops,
        netRateMbit: plan.netRateMbit,
      };
  for (const [key, maxKey] of sliderPairs) {
    const value = wanted[key];
    if (value === undefined) continue;
    if (value > plan[maxKey]) throw new AppError("QUOTA_EXCEEDED", `${key}: the plan allows at most ${plan[maxKey]}`, key);
    out[key] = value;
  }
  return out;
}
