/** `/support/jobs`: recent jobs of every server (support and admins), failed ones first if asked. */
import type { Metadata } from "next";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { PageHeader } from "@/components/ui/page-header";
import { Pager } from "@/components/ui/pager";
import { load } from "@/lib/server/load";
import { currentActor } from "@/lib/server/auth/current-actor";
import { listJobs } from "@/lib/server/jobs/list-jobs";
import { formatDateTime } from "@/lib/format";
import { requireRole } from "@/lib/server/auth/current-user";
import { jobKinds } from "@/lib/server/jobs/handlers";

export const metadata: Metadata = { title: "Jobs" };
export const dynamic = "force-dynamic";

/** Jobs page. */
export default async function SupportJobsPage({ searchParams }: { searchParams: Promise<{ page?: string; failed?: string }> }) {
  await requireRole("SUPPORT", "ADMIN");
  const sp = await searchParams;
  const page = Math.max(1, Number(sp.page) || 1);
  const { jobs, total } = await load(listJobs, await currentActor(), { page, failedOnly: sp.failed === "1" });
  return (
    <>
      <PageHeader title="Jobs" description="Builds, starts, stops and everything else, with their logs." />
      <Card>
        <p className="mb-3 text-sm">
          <Link className="text-indigo-600 hover:underline" href={sp.failed === "1" ? "/support/jobs" : "/support/jobs?failed=1"}>
            {sp.failed === "1" ? "Show all jobs" : "Show failed jobs only"}
          </Link>
        </p>
        <DataTable
          testId="jobs-table"
          rows={jobs}
          rowKey={(j) => j.id}
          columns={[
            { header: "When", cell: (j) => <span className="text-xs">{formatDateTime(j.createdAt)}</span> },
            { header: "Job", cell: (j) => <Link href={`/jobs/${j.id}`} className="text-indigo-600 hover:underline">{jobKinds[j.type]?.label ?? j.type}</Link> },
            { header: "Server", cell: (j) => (j.vserver ? <Link href={`/servers/${j.vserver.id}`} className="hover:underline">{j.vserver.name}</Link> : "—") },
            { header: "By", cell: (j) => <span className="text-xs">{j.createdBy?.email ?? "system"}</span> },
            { header: "State", cell: (j) => <Badge tone={j.state === "SUCCEEDED" ? "green" : j.state === "FAILED" ? "red" : "indigo"}>{j.state.toLowerCase()}</Badge> },
            { header: "Error", cell: (j) => <span className="block max-w-sm truncate text-xs text-red-700" title={j.error ?? undefined}>{j.error ?? ""}</span> },
          ]}
        />
        <Pager page={page} pages={Math.max(1, Math.ceil(total / 50))} total={total} params={{ failed: sp.failed }} />
      </Card>
    </>
  );
}
