/** `/admin/ip-pools`: address pools with free/used counts; create more. */
import type { Metadata } from "next";
import Link from "next/link";
import { ActionButton } from "@/components/ui/action-button";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { PoolForm } from "@/components/ip-pools/pool-form";
import { deletePoolAction } from "@/lib/actions/ip-pools/delete-pool-action";
import { load } from "@/lib/server/load";
import { listHostNames } from "@/lib/server/hosts/list-host-names";
import { currentActor } from "@/lib/server/auth/current-actor";
import { requireRole } from "@/lib/server/auth/current-user";
import { listPools } from "@/lib/server/ip-pools/list-pools";

export const metadata: Metadata = { title: "IP pools" };
export const dynamic = "force-dynamic";

/** IP pools page. */
export default async function IpPoolsPage() {
  await requireRole("ADMIN");
  const [pools, hosts] = await Promise.all([load(listPools, await currentActor()), load(listHostNames, await currentActor())]);
  return (
    <>
      <PageHeader title="IP pools" description="Addresses handed out to servers. Two servers never get the same address." />
      <Card className="mb-6">
        <DataTable
          testId="pools-table"
          rows={pools}
          rowKey={(p) => p.id}
          empty={<EmptyState title="No pools yet">Create one below so servers can get addresses.</EmptyState>}
          columns={[
            {
              header: "Pool",
              cell: (p) => (
                <Link href={`/admin/ip-pools/${p.id}`} className="font-medium text-indigo-600 hover:underline">
                  {p.name}
                </Link>
              ),
            },
            { header: "Family", cell: (p) => <Badge tone={p.family === "IPV4" ? "slate" : "indigo"}>{p.family === "IPV4" ? "IPv4" : "IPv6"}</Badge> },
            { header: "Network", cell: (p) => <code className="text-xs">{p.cidr}</code> },
            { header: "Per server", cell: (p) => `/${p.assignPrefix}` },
            { header: "Gateway", cell: (p) => <code className="text-xs">{p.gateway ?? "—"}</code> },
            { header: "Used", cell: (p) => <span data-testid={`pool-used-${p.name}`}>{p.used}</span> },
            { header: "Free", cell: (p) => <span data-testid={`pool-free-${p.name}`}>{p.free.length > 12 ? `${p.free.slice(0, 4)}…e${p.free.length - 1}` : p.free}</span> },
            { header: "Hosts", cell: (p) => p.hosts.map((h) => h.name).join(", ") || "—" },
            {
              header: "",
              cell: (p) =>
                p.used === 0 ? (
                  <ActionButton look="secondary" confirm={`Delete pool ${p.name}?`} action={deletePoolAction.bind(null, p.id)}>
                    Delete
                  </ActionButton>
                ) : null,
            },
          ]}
        />
      </Card>
      <Card title="New pool">
        <PoolForm hosts={hosts} />
      </Card>
    </>
  );
}
