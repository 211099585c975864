/** `/admin/reverse-dns`: the PowerDNS endpoint, and per IP pool its reverse zones (created by linking the pool). */
import type { Metadata } from "next";
import { PowerDnsSettingsForm } from "@/components/dns/powerdns-settings-form";
import { ActionButton } from "@/components/ui/action-button";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { linkPoolReverseZonesAction } from "@/lib/actions/dns/reverse-dns-admin-actions";
import { currentActor } from "@/lib/server/auth/current-actor";
import { requireRole } from "@/lib/server/auth/current-user";
import { listPoolReverseZones } from "@/lib/server/dns/list-pool-reverse-zones";
import { getPowerDnsSettings } from "@/lib/server/dns/save-powerdns-settings";
import { load } from "@/lib/server/load";

export const metadata: Metadata = { title: "Reverse DNS" };
export const dynamic = "force-dynamic";

/** Reverse DNS page. */
export default async function ReverseDnsPage() {
  await requireRole("ADMIN");
  const actor = await currentActor();
  const [settings, pools] = await Promise.all([load(getPowerDnsSettings, actor), load(listPoolReverseZones, actor)]);
  return (
    <>
      <PageHeader
        title="Reverse DNS"
        description="PTR records of servers' addresses, kept in PowerDNS through its HTTP API. Customers set them for their own addresses once their pool is linked. An IPv4 pool smaller than /24 gets its enclosing /24 zone."
      />
      <Card title="PowerDNS" className="mb-6">
        <PowerDnsSettingsForm v={settings} />
      </Card>
      <Card title="Pools">
        {pools === null ? (
          <EmptyState title="Reverse DNS is off">Set the PowerDNS endpoint and API key above to link pools.</EmptyState>
        ) : "error" in pools ? (
          <p className="text-sm text-red-700" role="alert" data-testid="reverse-zones-error">
            {pools.error}
          </p>
        ) : (
          <DataTable
            testId="reverse-zones-table"
            rows={pools}
            rowKey={(p) => p.id}
            empty={<EmptyState title="No pools yet" />}
            columns={[
              { header: "Pool", cell: (p) => <span className="font-medium">{p.name}</span> },
              { header: "Network", cell: (p) => <code className="text-xs">{p.cidr}</code> },
              {
                header: "Reverse zones",
                cell: (p) =>
                  p.zones ? (
                    <ul>
                      {p.zones.map((z) => (
                        <li key={z.name} className="flex items-center gap-2">
                          <code className="text-xs">{z.name}</code>
                          <Badge tone={z.exists ? "green" : "slate"}>{z.exists ? "in PowerDNS" : "missing"}</Badge>
                        </li>
                      ))}
                    </ul>
                  ) : (
                    <span className="text-xs text-slate-500">{p.problem}</span>
                  ),
              },
              {
                header: "",
                cell: (p) =>
                  p.zones && p.zones.some((z) => !z.exists) ? (
                    <ActionButton look="secondary" action={linkPoolReverseZonesAction.bind(null, p.id)} aria-label={`Link ${p.name} to reverse DNS`}>
                      Link to reverse DNS
                    </ActionButton>
                  ) : null,
              },
            ]}
          />
        )}
      </Card>
    </>
  );
}
