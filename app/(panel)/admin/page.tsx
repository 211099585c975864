/** `/admin`: the administrator's overview: hosts and their agents, counts of what is sold. */
import type { Metadata } from "next";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { HostStatusBadge } from "@/components/hosts/host-status-badge";
import { load } from "@/lib/server/load";
import { adminOverview } from "@/lib/server/admin/admin-overview";
import { adminActorAfterHostProbe } from "@/lib/server/hosts/admin-actor-after-host-probe";
import { TableHead } from "@/components/ui/table-head";

export const metadata: Metadata = { title: "Overview" };
export const dynamic = "force-dynamic";

/** Admin overview. */
export default async function AdminHomePage() {
  const actor = await adminActorAfterHostProbe();
  const { hosts, servers, customers, resellers } = await load(adminOverview, actor);

  return (
    <>
      <PageHeader title="Overview" description="Your hosts, and what runs on them." />
      <dl className="mb-6 grid grid-cols-1 gap-4 sm:grid-cols-3">
        {[
          ["Servers", servers],
          ["Customers", customers],
          ["Resellers", resellers],
        ].map(([label, value]) => (
          <div key={label} className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200 dark:bg-slate-900 dark:ring-slate-800">
            <dt className="text-sm text-slate-500">{label}</dt>
            <dd className="mt-1 text-2xl font-semibold">{value}</dd>
          </div>
        ))}
      </dl>
      <Card title="Hosts">
        {hosts.length === 0 ? (
          <EmptyState title="No hosts yet">Enroll a host by its agent endpoint and credential.</EmptyState>
        ) : (
          <table className="w-full text-left text-sm">
            <TableHead className="text-slate-500" cellClass="py-2" cells={["Host", "Agent", "Kernel", "cgroups", "Servers", "Status"]} />
            <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
              {hosts.map((host) => (
                <tr key={host.id} data-testid={`host-row-${host.name}`}>
                  <td className="py-2 font-medium">
                    {host.name}
                    {host.isLocal ? <span className="ml-2 text-xs text-slate-500">(this machine)</span> : null}
                  </td>
                  <td className="py-2">{host.agentVersion ?? "—"}</td>
                  <td className="py-2 font-mono text-xs">{host.kernelVersion ?? "—"}</td>
                  <td className="py-2">{host.cgroupVersion ?? "—"}</td>
                  <td className="py-2">{host._count.vservers}</td>
                  <td className="py-2">
                    <HostStatusBadge status={host.status} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
    </>
  );
}
