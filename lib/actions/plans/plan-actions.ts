"use server";
/** Server actions of the plan pages (admins: house plans; resellers: their own). */
import { runAction } from "@/lib/actions/run-action";
import { planFormInput } from "./plan-form-input";
import type { ActionResult } from "@/lib/actions/action-result";
import { db } from "@/lib/db/client";
import { createPlan, updatePlan } from "@/lib/server/plans/plans";

/** Creates a plan from the form (price entered in currency units, stored in cents). */
export async function createPlanAction(_prev: unknown, form: FormData): Promise<ActionResult<{ id: string }>> {
  const raw = planFormInput(form);
  return runAction(async (actor) => ({ id: (await createPlan(db(), actor, raw)).id }), { revalidate: ["/admin/plans", "/reseller/plans"], message: "Plan created." });
}

/** Archives or restores a plan. */
export async function setPlanArchivedAction(planId: string, archived: boolean): Promise<ActionResult<null>> {
  return runAction(async (actor) => {
    await updatePlan(db(), actor, planId, { archived });
    return null;
  }, { revalidate: ["/admin/plans", "/reseller/plans"] });
}
