/** `/requests`: customers' plan-change requests for their provider (a reseller's customers; all for admins), to approve or reject. */
import type { Metadata } from "next";
import Link from "next/link";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { PlanRequestDecision } from "@/components/plans/plan-request-decision";
import { load } from "@/lib/server/load";
import { formatDateTime } from "@/lib/format";
import { currentActor } from "@/lib/server/auth/current-actor";
import { requireRole } from "@/lib/server/auth/current-user";
import { listPlanChangeRequests } from "@/lib/server/vservers/plan-change-requests";

export const metadata: Metadata = { title: "Plan requests" };
export const dynamic = "force-dynamic";

/** The requests page. */
export default async function PlanRequestsPage() {
  await requireRole("ADMIN", "RESELLER");
  const actor = await currentActor();
  const [pending, decided] = await Promise.all([
    load(listPlanChangeRequests, actor, { state: "PENDING" }),
    Promise.all((["APPROVED", "REJECTED", "CANCELLED"] as const).map((state) => load(listPlanChangeRequests, actor, { state }))).then((l) => l.flat().sort((a, b) => +b.createdAt - +a.createdAt).slice(0, 30)),
  ]);
  return (
    <>
      <PageHeader title="Plan requests" description="Customers asking to move a server to another plan. Approving makes the change at once (the preview on the server's page shows what it does)." />
      <Card title="Waiting for an answer" className="mb-6">
        {pending.length === 0 ? (
          <EmptyState title="No open requests">When a customer asks for another plan, it appears here.</EmptyState>
        ) : (
          <ul className="divide-y divide-slate-200 dark:divide-slate-800" data-testid="plan-requests">
            {pending.map((r) => (
              <li key={r.id} className="space-y-2 py-3 text-sm">
                <p>
                  <Link href={`/servers/${r.vserver.id}`} className="font-medium text-indigo-600 hover:underline">
                    {r.vserver.name}
                  </Link>{" "}
                  ({r.vserver.owner.email}): {r.vserver.plan?.name ?? "no plan"} → <strong>{r.toPlan.name}</strong>
                  <span className="text-slate-500"> · asked {formatDateTime(r.createdAt)} by {r.requestedBy.email}</span>
                </p>
                {r.note ? <p className="text-slate-600 dark:text-slate-400">“{r.note}”</p> : null}
                <PlanRequestDecision requestId={r.id} serverId={r.vserver.id} />
              </li>
            ))}
          </ul>
        )}
      </Card>
      <Card title="Recently decided">
        {decided.length === 0 ? (
          <p className="text-sm text-slate-500">Nothing decided yet.</p>
        ) : (
          <ul className="space-y-1 text-sm">
            {decided.map((r) => (
              <li key={r.id}>
                {r.vserver.name} → {r.toPlan.name}: {r.state.toLowerCase()}
                {r.answer ? <span className="text-slate-500"> (“{r.answer}”)</span> : null}
              </li>
            ))}
          </ul>
        )}
      </Card>
    </>
  );
}
