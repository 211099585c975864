"use client";
/** Create a plan: defaults and slider maxima for each resource, addresses, price. */
import { ActionForm, SubmitButton } from "@/components/ui/form";
import { createPlanAction } from "@/lib/actions/plans/plan-actions";
import { PlanFields } from "./plan-fields";

/** Plan form. */
export function PlanForm() {
  return (
    <ActionForm action={createPlanAction} testId="plan-form">
      <PlanFields />
      <SubmitButton>Create plan</SubmitButton>
    </ActionForm>
  );
}
