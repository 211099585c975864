/** `/servers`: the servers the user may see (a customer's home), searched and paged on the server. */
import type { Metadata } from "next";
import Link from "next/link";
import { Card } from "@/components/ui/card";
import { columnsOf, DataTable } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Pager } from "@/components/ui/pager";
import { SearchFilter, SearchForm } from "@/components/ui/search-form";
import { LiveStatusCell, WatchServerList } from "@/components/servers/live-list-status";
import { load } from "@/lib/server/load";
import { formatCpuMilli, formatMb } from "@/lib/format";
import { currentActor } from "@/lib/server/auth/current-actor";
import { requireUser } from "@/lib/server/auth/current-user";
import { listServers } from "@/lib/server/vservers/list-servers";
import { serverStatusOf } from "@/lib/server/vservers/server-status";

export const metadata: Metadata = { title: "Servers" };
export const dynamic = "force-dynamic";

const states = ["RUNNING", "STOPPED", "BUILDING", "ERROR"] as const;

/** Server list. */
export default async function ServersPage({ searchParams }: { searchParams: Promise<{ page?: string; q?: string; state?: string }> }) {
  const user = await requireUser();
  const sp = await searchParams;
  const state = states.find((s) => s === sp.state);
  const page = await load(listServers, await currentActor(), { page: sp.page, q: sp.q, state });
  const provider = user.role === "ADMIN" || user.role === "RESELLER";
  const columns = columnsOf(page.items, [
    {
      header: "Server",
      cell: (s) => (
        <Link href={`/servers/${s.id}`} className="font-medium text-indigo-600 hover:underline">
          {s.name}
        </Link>
      ),
    },
    { header: "Hostname", cell: (s) => s.hostname },
    { header: "State", cell: (s) => <LiveStatusCell serverId={s.id} initial={serverStatusOf(s)} /> },
    { header: "Addresses", cell: (s) => <span className="font-mono text-xs">{s.addresses.map((a) => a.address).join(", ") || "—"}</span> },
    { header: "Resources", cell: (s) => <span className="text-xs">{formatCpuMilli(s.cpuMilli)} · {formatMb(s.memoryMb)} · {formatMb(s.diskMb)}</span> },
    ...(user.role === "CUSTOMER" ? [] : [{ header: "Owner", cell: (s: (typeof page.items)[number]) => s.owner.email }, { header: "Host", cell: (s: (typeof page.items)[number]) => s.host.name }]),
    { header: "Plan", cell: (s) => s.plan?.name ?? "—" },
  ]);
  return (
    <>
      <PageHeader
        title={user.role === "CUSTOMER" ? "My servers" : "Servers"}
        actions={
          provider ? (
            <Link href="/servers/new" className="rounded-md bg-indigo-600 px-3.5 py-2 text-sm font-semibold text-white shadow-sm hover:bg-indigo-500">
              New server
            </Link>
          ) : null
        }
      />
      <Card>
        <SearchForm q={sp.q} placeholder="Name, hostname, address or owner">
          <SearchFilter name="state" label="State" value={state} anyLabel="Any state" options={states} />
        </SearchForm>
        <DataTable
          testId="servers-table"
          rows={page.items}
          rowKey={(s) => s.id}
          empty={
            <EmptyState title={sp.q || state ? "No server matches" : "No servers yet"}>
              {user.role === "CUSTOMER" ? "When your provider sets up a server for you, it appears here." : provider ? "Create the first one with New server." : undefined}
            </EmptyState>
          }
          columns={columns}
        />
        <Pager page={page.page} pages={page.pages} total={page.total} params={{ q: sp.q, state }} />
        <WatchServerList serverIds={page.items.map((s) => s.id)} />
      </Card>
    </>
  );
}
