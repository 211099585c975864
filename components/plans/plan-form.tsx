"use client";
/**
 * Create a plan: defaults and slider maxima for each resource, per-server limits,
 * addresses, price. For a reseller (`bounds` given) each bounded field shows the admin's
 * bound and starts within it, so the defaults are a plan the panel accepts.
 */
import { ActionForm, SubmitButton } from "@/components/ui/form";
import { createPlanAction } from "@/lib/actions/plans/create-plan-action";
import type { PlanBounds } from "@/lib/server/resellers/plan-bounds";
import { PlanFields } from "./plan-fields";

/** Plan form. */
export function PlanForm({ bounds }: { bounds?: PlanBounds | null }) {
  return (
    <ActionForm action={createPlanAction} testId="plan-form">
      <PlanFields bounds={bounds} />
      <SubmitButton>Create plan</SubmitButton>
    </ActionForm>
  );
}
