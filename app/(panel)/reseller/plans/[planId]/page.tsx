/** `/reseller/plans/[planId]`: edit one of the reseller's own plans. */
import type { Metadata } from "next";
import { PlanEditPage } from "@/components/plans/plan-edit-page";
import { requireRole } from "@/lib/server/auth/current-user";

export const metadata: Metadata = { title: "Edit plan" };
export const dynamic = "force-dynamic";

/** Reseller plan edit page. */
export default async function ResellerPlanPage({ params }: { params: Promise<{ planId: string }> }) {
  await requireRole("RESELLER");
  return <PlanEditPage planId={(await params).planId} />;
}
