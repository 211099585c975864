/** `/admin/plans`: the house's plans (and resellers' own, read-only here). */
import type { Metadata } from "next";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { Pager } from "@/components/ui/pager";
import { PlanForm } from "@/components/plans/plan-form";
import { PlanTable } from "@/components/plans/plan-table";
import { load } from "@/lib/server/load";
import { currentActor } from "@/lib/server/auth/current-actor";
import { requireRole } from "@/lib/server/auth/current-user";
import { listPlans } from "@/lib/server/plans/list-plans";

export const metadata: Metadata = { title: "Plans" };
export const dynamic = "force-dynamic";

/** Admin plans page. */
export default async function AdminPlansPage({ searchParams }: { searchParams: Promise<{ page?: string }> }) {
  await requireRole("ADMIN");
  const sp = await searchParams;
  const plans = await load(listPlans, await currentActor(), { page: sp.page, includeArchived: "1" });
  return (
    <>
      <PageHeader title="Plans" description="What servers are sold with: defaults, slider maxima, addresses, price." />
      <Card className="mb-6">
        <PlanTable plans={plans.items} canEdit={() => true} editHref={(id) => `/admin/plans/${id}`} />
        <Pager page={plans.page} pages={plans.pages} total={plans.total} params={{}} />
      </Card>
      <Card title="New plan">
        <PlanForm />
      </Card>
    </>
  );
}
