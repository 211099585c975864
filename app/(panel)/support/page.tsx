/** `/support`: the support desk's overview (read-mostly). */
import type { Metadata } from "next";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { db } from "@/lib/db/client";
import { requireRole } from "@/lib/server/auth/current-user";

export const metadata: Metadata = { title: "Support" };
export const dynamic = "force-dynamic";

/** Support overview. */
export default async function SupportHomePage() {
  await requireRole("SUPPORT");
  const [servers, running, failedJobs] = await Promise.all([
    db().vServer.count(),
    db().vServer.count({ where: { state: "RUNNING" } }),
    db().job.count({ where: { state: "FAILED" } }),
  ]);
  return (
    <>
      <PageHeader title="Support" description="What runs where, read-only." />
      <Card>
        <dl className="grid grid-cols-3 gap-4 text-sm">
          <div>
            <dt className="text-slate-500">Servers</dt>
            <dd className="text-xl font-semibold">{servers}</dd>
          </div>
          <div>
            <dt className="text-slate-500">Running</dt>
            <dd className="text-xl font-semibold">{running}</dd>
          </div>
          <div>
            <dt className="text-slate-500">Failed jobs</dt>
            <dd className="text-xl font-semibold">{failedJobs}</dd>
          </div>
        </dl>
      </Card>
    </>
  );
}
