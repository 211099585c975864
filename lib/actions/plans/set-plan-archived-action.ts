"use server";
/** Archives or restores a plan. */
import { runAction } from "@/lib/actions/run-action";
import type { ActionResult } from "@/lib/actions/action-result";
import { db } from "@/lib/db/client";
import { updatePlan } from "@/lib/server/plans/update-plan";

/** Archives or restores a plan. */
export async function setPlanArchivedAction(planId: string, archived: boolean): Promise<ActionResult<null>> {
  return runAction(async (actor) => {
    await updatePlan(db(), actor, planId, { archived });
    return null;
  }, { revalidate: ["/admin/plans", "/reseller/plans"] });
}
