/** `/reseller`: a reseller's overview: its customers and servers against its quota. */
import type { Metadata } from "next";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { db } from "@/lib/db/client";
import { requireRole } from "@/lib/server/auth/current-user";

export const metadata: Metadata = { title: "Overview" };
export const dynamic = "force-dynamic";

/** Reseller overview. */
export default async function ResellerHomePage() {
  const user = await requireRole("RESELLER");
  const [customers, servers, quota] = await Promise.all([
    db().user.count({ where: { resellerId: user.id } }),
    db().vServer.count({ where: { owner: { resellerId: user.id } } }),
    db().resellerQuota.findUnique({ where: { resellerId: user.id } }),
  ]);
  return (
    <>
      <PageHeader title="Overview" description="Your customers and their servers." />
      <Card title="Usage against your quota">
        <dl className="grid grid-cols-2 gap-4 text-sm sm:grid-cols-3">
          <div>
            <dt className="text-slate-500">Customers</dt>
            <dd className="text-xl font-semibold">{customers}</dd>
          </div>
          <div>
            <dt className="text-slate-500">Servers</dt>
            <dd className="text-xl font-semibold">
              {servers} / {quota?.maxServers ?? 0}
            </dd>
          </div>
        </dl>
      </Card>
    </>
  );
}
