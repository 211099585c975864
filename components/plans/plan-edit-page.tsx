/** The edit page of one plan, for admins and resellers alike (their routes are thin). */
import { notFound } from "next/navigation";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { load } from "@/lib/server/load";
import { AppError } from "@/lib/errors";
import { currentActor } from "@/lib/server/auth/current-actor";
import { getEditablePlanOrThrow } from "@/lib/server/plans/get-editable-plan-or-throw";
import { PlanEditForm } from "./plan-edit-form";

/** Renders the page of plan `planId`. */
export async function PlanEditPage({ planId }: { planId: string }) {
  const plan = await load(getEditablePlanOrThrow, await currentActor(), planId).catch((e) => {
    if (e instanceof AppError && e.code === "NOT_FOUND") notFound();
    throw e;
  });
  return (
    <>
      <PageHeader title={`Plan ${plan.name}`} description={`${plan._count.vservers} server(s) on this plan. Changes apply to new servers and plan changes; servers on it keep their resources.`} />
      <Card>
        <PlanEditForm planId={plan.id} plan={plan} />
      </Card>
    </>
  );
}
