/** `/admin/audit`: every state change — who, what, on what, when, from where. */
import type { Metadata } from "next";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { columnsOf, DataTable } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Pager } from "@/components/ui/pager";
import { SearchForm } from "@/components/ui/search-form";
import { load } from "@/lib/server/load";
import { formatDateTime } from "@/lib/format";
import { listAudit } from "@/lib/server/audit/list-audit";
import { currentActor } from "@/lib/server/auth/current-actor";
import { requireRole } from "@/lib/server/auth/current-user";

export const metadata: Metadata = { title: "Audit log" };
export const dynamic = "force-dynamic";

/** Audit log page. */
export default async function AuditPage({ searchParams }: { searchParams: Promise<{ page?: string; q?: string; action?: string; targetId?: string }> }) {
  await requireRole("ADMIN");
  const sp = await searchParams;
  const page = await load(listAudit, await currentActor(), { page: sp.page, q: sp.q, action: sp.action, targetId: sp.targetId, pageSize: 50 });
  const columns = columnsOf(page.items, [
    { header: "When", cell: (e) => <span className="whitespace-nowrap text-xs">{formatDateTime(e.at)}</span> },
    { header: "Who", cell: (e) => (e.actorType === "SYSTEM" ? <Badge>system</Badge> : <span>{e.actor?.email ?? e.actorId}{e.actorType === "API_TOKEN" ? <span className="ml-1"><Badge tone="indigo">API</Badge></span> : null}</span>) },
    { header: "Action", cell: (e) => <code className="text-xs">{e.action}</code> },
    { header: "Target", cell: (e) => (e.targetType ? <span className="text-xs">{e.targetType} {e.targetId}</span> : "—") },
    { header: "From", cell: (e) => <span className="text-xs">{e.ip ?? "—"}</span> },
    { header: "Result", cell: (e) => <Badge tone={e.success ? "green" : "red"}>{e.success ? "ok" : "failed"}</Badge> },
    { header: "Details", cell: (e) => <code className="block max-w-md truncate text-xs" title={e.details}>{e.details === "{}" ? "" : e.details}</code> },
  ]);
  return (
    <>
      <PageHeader title="Audit log" description="Every change, newest first." />
      <Card>
        <SearchForm q={sp.q} placeholder="Search action, details, address" />
        <DataTable testId="audit-table" rows={page.items} rowKey={(e) => e.id} empty={<EmptyState title="Nothing recorded yet" />}
          columns={columns}
        />
        <Pager page={page.page} pages={page.pages} total={page.total} params={{ q: sp.q, action: sp.action, targetId: sp.targetId }} />
      </Card>
    </>
  );
}
