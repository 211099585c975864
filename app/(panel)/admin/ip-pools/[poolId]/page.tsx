/** `/admin/ip-pools/[poolId]`: every address given out from a pool and who holds it. */
import type { Metadata } from "next";
import Link from "next/link";
import { Card } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { formatDateTime } from "@/lib/format";
import { currentActor } from "@/lib/server/auth/current-actor";
import { requireRole } from "@/lib/server/auth/current-user";
import { getPoolDetail } from "@/lib/server/ip-pools/get-pool-detail";
import { loadOrNotFound } from "@/lib/server/load-or-not-found";

export const metadata: Metadata = { title: "IP pool" };
export const dynamic = "force-dynamic";

/** Pool detail page. */
export default async function PoolPage({ params }: { params: Promise<{ poolId: string }> }) {
  await requireRole("ADMIN");
  const { poolId } = await params;
  const pool = await loadOrNotFound(getPoolDetail, await currentActor(), poolId);
  return (
    <>
      <PageHeader title={pool.name} description={`${pool.cidr} · gateway ${pool.gateway ?? "none"} · /${pool.assignPrefix} per server · ${pool.used} used, ${pool.free} free`} />
      <Card title="Addresses in use">
        <DataTable
          rows={pool.addresses}
          rowKey={(a) => a.id}
          empty={<EmptyState title="No addresses in use" />}
          columns={[
            { header: "Address", cell: (a) => <code>{`${a.address}/${a.prefix}`}</code> },
            { header: "Server", cell: (a) => (a.vserver ? <Link className="text-indigo-600 hover:underline" href={`/servers/${a.vserver.id}`}>{a.vserver.name}</Link> : "— (held by a job)") },
            { header: "Owner", cell: (a) => a.vserver?.owner.email ?? "—" },
            { header: "Since", cell: (a) => formatDateTime(a.createdAt) },
          ]}
        />
      </Card>
    </>
  );
}
