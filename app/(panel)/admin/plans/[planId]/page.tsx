/** `/admin/plans/[planId]`: edit a plan. */
import type { Metadata } from "next";
import { PlanEditPage } from "@/components/plans/plan-edit-page";
import { requireRole } from "@/lib/server/auth/current-user";

export const metadata: Metadata = { title: "Edit plan" };
export const dynamic = "force-dynamic";

/** Admin plan edit page. */
export default async function AdminPlanPage({ params }: { params: Promise<{ planId: string }> }) {
  await requireRole("ADMIN");
  return <PlanEditPage planId={(await params).planId} />;
}
