"use server";
/** Archives or restores a plan. */
import { runOperation } from "@/lib/actions/run-action";
import type { ActionResult } from "@/lib/actions/action-result";
import { updatePlan } from "@/lib/server/plans/update-plan";

/** Archives or restores a plan. */
export async function setPlanArchivedAction(planId: string, archived: boolean): Promise<ActionResult<null>> {
  return runOperation(updatePlan, [planId, { archived }], { revalidate: ["/admin/plans", "/reseller/plans"] });
}
