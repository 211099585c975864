/** `/reseller/plans`: the house's plans and the reseller's own. */
import type { Metadata } from "next";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { Pager } from "@/components/ui/pager";
import { PlanForm } from "@/components/plans/plan-form";
import { PlanTable } from "@/components/plans/plan-table";
import { load } from "@/lib/server/load";
import { readResellerQuota } from "@/lib/server/resellers/read-reseller-quota";
import { currentActor } from "@/lib/server/auth/current-actor";
import { requireRole } from "@/lib/server/auth/current-user";
import { listPlans } from "@/lib/server/plans/list-plans";
import { planBoundsOf } from "@/lib/server/resellers/plan-bounds";

export const metadata: Metadata = { title: "Plans" };
export const dynamic = "force-dynamic";

/** Reseller plans page. */
export default async function ResellerPlansPage({ searchParams }: { searchParams: Promise<{ page?: string }> }) {
  const user = await requireRole("RESELLER");
  const sp = await searchParams;
  const [plans, quota] = await Promise.all([
    load(listPlans, await currentActor(), { page: sp.page, includeArchived: "1" }),
    load(readResellerQuota, await currentActor(), user.id),
  ]);
  return (
    <>
      <PageHeader title="Plans" description="The house's plans and your own, within your quota and the per-server bounds your provider set." />
      <Card className="mb-6">
        <PlanTable plans={plans.items} canEdit={(p) => p.ownerId === user.id} editHref={(id) => `/reseller/plans/${id}`} />
        <Pager page={plans.page} pages={plans.pages} total={plans.total} params={{}} />
      </Card>
      <Card title="New plan of your own">
        <PlanForm bounds={quota ? planBoundsOf(quota) : null} />
      </Card>
    </>
  );
}
