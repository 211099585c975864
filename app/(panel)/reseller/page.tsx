/** `/reseller`: a reseller's overview: what its customers use against its quota, and its per-server bounds. */
import type { Metadata } from "next";
import Link from "next/link";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { load } from "@/lib/server/load";
import { currentActor } from "@/lib/server/auth/current-actor";
import { countOwnCustomers } from "@/lib/server/users/count-own-customers";
import { readResellerQuota } from "@/lib/server/resellers/read-reseller-quota";
import { formatBytes, formatCpuMilli, formatMb } from "@/lib/format";
import { requireRole } from "@/lib/server/auth/current-user";
import { planBoundFields } from "@/lib/server/resellers/plan-bounds";
import { resellerUsage } from "@/lib/server/resellers/reseller-usage";

export const metadata: Metadata = { title: "Overview" };
export const dynamic = "force-dynamic";

/** Reseller overview. */
export default async function ResellerHomePage() {
  const user = await requireRole("RESELLER");
  const actor = await currentActor();
  const [customers, usage, quota] = await Promise.all([
    load(countOwnCustomers, actor),
    load(resellerUsage, user.id),
    load(readResellerQuota, actor, user.id),
  ]);
  const rows: [string, string, number, number][] = [
    ["Servers", `${usage.servers} of ${quota?.maxServers ?? 0}`, usage.servers, quota?.maxServers ?? 0],
    ["CPU", `${formatCpuMilli(usage.cpuMilli)} of ${formatCpuMilli(quota?.maxCpuMilli ?? 0)}`, usage.cpuMilli, quota?.maxCpuMilli ?? 0],
    ["Memory", `${formatMb(usage.memoryMb)} of ${formatMb(quota?.maxMemoryMb ?? 0)}`, usage.memoryMb, quota?.maxMemoryMb ?? 0],
    ["Disk", `${formatMb(usage.diskMb)} of ${formatMb(quota?.maxDiskMb ?? 0)}`, usage.diskMb, quota?.maxDiskMb ?? 0],
    ["IPv4 addresses", `${usage.ipv4} of ${quota?.maxIpv4 ?? 0}`, usage.ipv4, quota?.maxIpv4 ?? 0],
    ["IPv6 addresses", `${usage.ipv6} of ${quota?.maxIpv6 ?? 0}`, usage.ipv6, quota?.maxIpv6 ?? 0],
  ];
  return (
    <>
      <PageHeader
        title="Overview"
        description={customers === 1 ? "1 customer." : `${customers} customers.`}
        actions={
          <Link href="/servers/new" className="rounded-md bg-indigo-600 px-3.5 py-2 text-sm font-semibold text-white shadow-sm hover:bg-indigo-500">
            New server
          </Link>
        }
      />
      <Card title="Your quota">
        {quota ? null : <p className="mb-3 text-sm text-amber-700">You have no quota yet: ask your provider before selling servers.</p>}
        <dl className="space-y-3" data-testid="reseller-quota">
          {rows.map(([label, text, used, max]) => (
            <div key={label} className="grid grid-cols-[1fr_auto] gap-x-2 text-sm">
              <dt className="text-slate-500">{label}</dt>
              <dd>{text}</dd>
              {/* The bar repeats the text for the eye (a dl may hold only dt/dd in its groups). */}
              <dd aria-hidden="true" className="col-span-2 mt-1 h-1.5 overflow-hidden rounded bg-slate-200 dark:bg-slate-800">
                <div className={`h-full ${max && used / max > 0.9 ? "bg-red-500" : "bg-indigo-500"}`} style={{ width: `${max ? Math.min(100, (used / max) * 100) : 0}%` }} />
              </dd>
            </div>
          ))}
        </dl>
      </Card>
      {quota ? (
        <Card title="Per-server bounds" className="mt-6">
          <p className="mb-3 text-sm text-slate-500">Your plans and your customers&apos; servers stay within these, set by your provider.</p>
          <dl className="grid grid-cols-1 gap-x-6 gap-y-2 text-sm md:grid-cols-2" data-testid="reseller-bounds">
            {planBoundFields.map((b) => (
              <div key={b.bound} className="flex justify-between">
                <dt className="text-slate-500">{b.label}</dt>
                <dd>{b.zeroIsUnlimited && quota[b.bound] === 0 ? "unlimited allowed" : b.bound.endsWith("BpsMax") ? `${formatBytes(quota[b.bound])}/s` : quota[b.bound].toLocaleString("en")}</dd>
              </div>
            ))}
          </dl>
        </Card>
      ) : null}
    </>
  );
}
