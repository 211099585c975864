"use server";
/** Creates a plan from the form (price entered in currency units, stored in cents). */
import { runAction } from "@/lib/actions/run-action";
import { planFormInput } from "./plan-form-input";
import type { ActionResult } from "@/lib/actions/action-result";
import { db } from "@/lib/db/client";
import { createPlan } from "@/lib/server/plans/create-plan";

/** Creates a plan from the form (price entered in currency units, stored in cents). */
export async function createPlanAction(_prev: unknown, form: FormData): Promise<ActionResult<{ id: string }>> {
  const raw = planFormInput(form);
  return runAction(async (actor) => ({ id: (await createPlan(db(), actor, raw)).id }), { revalidate: ["/admin/plans", "/reseller/plans"], message: "Plan created." });
}
