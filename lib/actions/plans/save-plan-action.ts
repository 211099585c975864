"use server";
/**
 * Saves a change of a plan from its edit page. The first submit only previews: when the
 * change touches servers on the plan (a lowered maximum some are above, defaults that
 * change), it returns the effect unsaved for the person to read; the form submits again
 * with `confirmed` to save.
 */
import { runAction } from "@/lib/actions/run-action";
import type { ActionResult } from "@/lib/actions/action-result";
import { db } from "@/lib/db/client";
import { type PlanUpdateEffect } from "@/lib/server/plans/preview-plan-update";
import { previewPlanUpdate } from "@/lib/server/plans/preview-plan-update";
import { updatePlan } from "@/lib/server/plans/update-plan";
import { planFormInput } from "./plan-form-input";

/** Previews or saves. */
export async function savePlanAction(planId: string, _prev: unknown, form: FormData): Promise<ActionResult<{ saved: boolean; effect: PlanUpdateEffect }>> {
  const confirmed = form.get("confirmed") === "1";
  const raw = planFormInput(form);
  return runAction(
    async (actor) => {
      const effect = await previewPlanUpdate(db(), actor, planId, raw);
      const touches = effect.aboveMaximum.length > 0 || (effect.servers > 0 && effect.changedDefaults.length > 0);
      if (touches && !confirmed) return { saved: false, effect };
      await updatePlan(db(), actor, planId, raw);
      return { saved: true, effect };
    },
    { revalidate: ["/admin/plans", "/reseller/plans"] },
  );
}
