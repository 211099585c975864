"use server";
/** Server actions of the plan pages (admins: house plans; resellers: their own). */
import { formObject, runAction } from "@/lib/actions/run-action";
import type { ActionResult } from "@/lib/actions/action-result";
import { db } from "@/lib/db/client";
import { createPlan, updatePlan } from "@/lib/server/plans/plans";

const numbers = [
  "cpuMilli", "cpuMilliMax", "cpuWeight", "memoryMb", "memoryMbMax", "swapMb", "swapMbMax", "diskMb", "diskMbMax", "inodes", "pids", "pidsMax",
  "ioReadBps", "ioWriteBps", "ioReadIops", "ioWriteIops", "netRateMbit", "trafficGb", "ipv4Count", "ipv6Count", "priceCents",
];

/** Creates a plan from the form (price entered in currency units, stored in cents). */
export async function createPlanAction(_prev: unknown, form: FormData): Promise<ActionResult<{ id: string }>> {
  const raw = formObject(form, { numbers: [...numbers, "price"] });
  if (typeof raw.price === "number") raw.priceCents = Math.round(raw.price * 100);
  delete raw.price;
  return runAction(async (actor) => ({ id: (await createPlan(db(), actor, raw)).id }), { revalidate: ["/admin/plans", "/reseller/plans"], message: "Plan created." });
}

/** Archives or restores a plan. */
export async function setPlanArchivedAction(planId: string, archived: boolean): Promise<ActionResult<null>> {
  return runAction(async (actor) => {
    await updatePlan(db(), actor, planId, { archived });
    return null;
  }, { revalidate: ["/admin/plans", "/reseller/plans"] });
}
