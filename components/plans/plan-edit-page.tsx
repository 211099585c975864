/** The edit page of one plan, for admins and resellers alike (their routes are thin). */
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { currentActor } from "@/lib/server/auth/current-actor";
import { getEditablePlanOrThrow } from "@/lib/server/plans/get-editable-plan-or-throw";
import { PlanEditForm } from "./plan-edit-form";
import { loadOrNotFound } from "@/lib/server/load-or-not-found";

/** Renders the page of plan `planId`. */
export async function PlanEditPage({ planId }: { planId: string }) {
  const plan = await loadOrNotFound(getEditablePlanOrThrow, await currentActor(), planId);
  return (
    <>
      <PageHeader title={`Plan ${plan.name}`} description={`${plan._count.vservers} server(s) on this plan. Changes apply to new servers and plan changes; servers on it keep their resources.`} />
      <Card>
        <PlanEditForm planId={plan.id} plan={plan} />
      </Card>
    </>
  );
}
