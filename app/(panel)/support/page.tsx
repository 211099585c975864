/** `/support`: the support desk's overview: `vserver-stat` of each host, recent failures, host usage graphs. */
import type { Metadata } from "next";
import Link from "next/link";
import { Card } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { PageHeader } from "@/components/ui/page-header";
import { HostUsageCards } from "@/components/usage/host-usage-cards";
import { load } from "@/lib/server/load";
import { listServerNames } from "@/lib/server/vservers/list-server-names";
import { countFailedJobs } from "@/lib/server/jobs/count-failed-jobs";
import { listHostNames } from "@/lib/server/hosts/list-host-names";
import { formatBytes } from "@/lib/format";
import { currentActor } from "@/lib/server/auth/current-actor";
import { requireRole } from "@/lib/server/auth/current-user";
import { vserverStats } from "@/lib/server/support/list-processes";

export const metadata: Metadata = { title: "Support" };
export const dynamic = "force-dynamic";

function uptime(sec: number): string {
  const d = Math.floor(sec / 86400);
  const h = Math.floor((sec % 86400) / 3600);
  const m = Math.floor((sec % 3600) / 60);
  return d ? `${d}d ${h}h` : h ? `${h}h ${m}m` : `${m}m ${Math.floor(sec % 60)}s`;
}

/** Support overview. */
export default async function SupportHomePage() {
  await requireRole("SUPPORT");
  const [stats, servers, failedJobs] = await Promise.all([
    load(vserverStats, await currentActor()),
    load(listServerNames, await currentActor()),
    load(countFailedJobs, await currentActor()),
  ]);
  const idOf = (hostId: string, name: string) => servers.find((s) => s.hostId === hostId && s.name === name)?.id;
  return (
    <>
      <PageHeader title="Support" description="What runs where, read-only." />
      <p className="mb-4 text-sm">
        <Link href="/support/processes" className="text-indigo-600 hover:underline">
          Process list across hosts
        </Link>{" "}
        ·{" "}
        <Link href="/support/jobs" className="text-indigo-600 hover:underline">
          Jobs ({failedJobs} failed)
        </Link>
      </p>
      <div className="space-y-6">
        {stats.map((h) => (
          <Card key={h.hostId} title={`vserver-stat on ${h.host}`}>
            {h.error ? <p className="text-sm text-amber-700">Not answering: {h.error}</p> : null}
            <DataTable
              testId={`vserver-stat-${h.host}`}
              rows={h.rows}
              rowKey={(r) => String(r.context)}
              empty={<p className="text-sm text-slate-500">No running servers.</p>}
              columns={[
                { header: "CTX", cell: (r) => r.context },
                { header: "PROC", cell: (r) => r.processes },
                { header: "VSZ", cell: (r) => formatBytes(r.vszBytes) },
                { header: "RSS", cell: (r) => formatBytes(r.rssBytes) },
                { header: "userTIME", cell: (r) => `${r.userTimeSec.toFixed(1)}s` },
                { header: "sysTIME", cell: (r) => `${r.systemTimeSec.toFixed(1)}s` },
                { header: "UPTIME", cell: (r) => uptime(r.uptimeSec) },
                {
                  header: "NAME",
                  cell: (r) => {
                    const id = idOf(h.hostId, r.name);
                    return id ? (
                      <Link href={`/servers/${id}`} className="text-indigo-600 hover:underline">
                        {r.name}
                      </Link>
                    ) : (
                      r.name
                    );
                  },
                },
              ]}
            />
          </Card>
        ))}
      </div>
      <HostUsageCards hosts={await load(listHostNames, await currentActor())} />
    </>
  );
}
