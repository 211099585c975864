"use client";
/**
 * Edit a plan. Saving a change that touches servers on the plan first shows what it
 * does to them — servers above a lowered maximum keep their value (their sliders can
 * only go down), changed defaults apply to new servers and plan changes only — and asks
 * once more before it is saved.
 */
import { useState } from "react";
import { ActionForm, SubmitButton } from "@/components/ui/form";
import { savePlanAction } from "@/lib/actions/plans/save-plan-action";
import type { PlanUpdateEffect } from "@/lib/server/plans/preview-plan-update";
import { PlanFields, type PlanValues } from "./plan-fields";

/** The edit form of one plan. */
export function PlanEditForm({ planId, plan }: { planId: string; plan: PlanValues }) {
  const [effect, setEffect] = useState<PlanUpdateEffect | null>(null);
  const [saved, setSaved] = useState(false);
  return (
    <ActionForm
      action={savePlanAction.bind(null, planId)}
      resetOnSuccess={false}
      testId="plan-edit-form"
      onSuccess={(r: { saved: boolean; effect: PlanUpdateEffect }) => {
        setSaved(r.saved);
        setEffect(r.saved ? null : r.effect);
      }}
    >
      <PlanFields plan={plan} />
      {effect ? (
        <div role="alertdialog" aria-label="What this change does" className="space-y-2 rounded-md bg-amber-50 p-3 text-sm text-amber-900 ring-1 ring-amber-200 dark:bg-amber-950 dark:text-amber-100 dark:ring-amber-800" data-testid="plan-effect">
          <p>
            {effect.servers} server{effect.servers === 1 ? " is" : "s are"} on this plan. They keep their resources.
          </p>
          {effect.aboveMaximum.length ? (
            <ul className="list-disc pl-5">
              {effect.aboveMaximum.map((a) => (
                <li key={`${a.serverId}-${a.field}`}>
                  {a.name}: {a.field} {a.value} is above the new maximum {a.max}; it stays, and can only be lowered
                </li>
              ))}
            </ul>
          ) : null}
          {effect.changedDefaults.length ? <p>New defaults ({effect.changedDefaults.join(", ")}) apply to new servers and plan changes.</p> : null}
          <input type="hidden" name="confirmed" value="1" />
          <SubmitButton>Save with this effect</SubmitButton>
        </div>
      ) : (
        <SubmitButton>Save</SubmitButton>
      )}
      {saved ? (
        <p role="status" data-testid="plan-saved" className="text-sm text-emerald-700">
          Saved.
        </p>
      ) : null}
    </ActionForm>
  );
}
