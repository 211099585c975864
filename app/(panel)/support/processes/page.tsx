/** `/support/processes`: `vps` across hosts, with filters and sorting; the CONTEXT column names the server. */
import type { Metadata } from "next";
import Link from "next/link";
import { Card } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { load } from "@/lib/server/load";
import { listHostNames } from "@/lib/server/hosts/list-host-names";
import { formatBytes } from "@/lib/format";
import { currentActor } from "@/lib/server/auth/current-actor";
import { requireRole } from "@/lib/server/auth/current-user";
import { listProcesses } from "@/lib/server/support/list-processes";

export const metadata: Metadata = { title: "Processes" };
export const dynamic = "force-dynamic";

type Search = { hostId?: string; server?: string; customer?: string; user?: string; command?: string; sort?: string; guestsOnly?: string };

const sorts = [
  ["cpu", "CPU"],
  ["rss", "memory"],
  ["time", "CPU time"],
  ["pid", "PID"],
  ["vserver", "context"],
  ["command", "command"],
] as const;

/** Process list page. */
export default async function ProcessesPage({ searchParams }: { searchParams: Promise<Search> }) {
  const user = await requireRole("SUPPORT", "ADMIN");
  const sp = await searchParams;
  const [result, hosts] = await Promise.all([
    load(listProcesses, await currentActor(), { ...sp, sort: sorts.some(([k]) => k === sp.sort) ? sp.sort : "cpu", guestsOnly: sp.guestsOnly === "1" ? "1" : "0" }),
    load(listHostNames, await currentActor()),
  ]);
  const field = "rounded-md px-3 py-2 text-sm ring-1 ring-slate-300 dark:bg-slate-900 dark:ring-slate-700";
  return (
    <>
      <PageHeader
        title="Processes"
        description={`Every process on every host, like vps: the CONTEXT column says which server it belongs to (0 MAIN is the host).${user.role === "ADMIN" ? "" : " Host processes show their name without arguments."}`}
      />
      <Card>
        <form className="mb-4 flex flex-wrap items-end gap-2" role="search">
          <select name="hostId" defaultValue={sp.hostId ?? ""} aria-label="Host" className={field}>
            <option value="">All hosts</option>
            {hosts.map((h) => (
              <option key={h.id} value={h.id}>
                {h.name}
              </option>
            ))}
          </select>
          <input name="server" defaultValue={sp.server} placeholder="server" aria-label="Server" className={field} />
          <input name="customer" defaultValue={sp.customer} placeholder="customer email" aria-label="Customer" className={field} />
          <input name="user" defaultValue={sp.user} placeholder="user" aria-label="User" className={`${field} w-28`} />
          <input name="command" defaultValue={sp.command} placeholder="command" aria-label="Command" className={field} />
          <select name="sort" defaultValue={sp.sort ?? "cpu"} aria-label="Sort by" className={field}>
            {sorts.map(([k, label]) => (
              <option key={k} value={k}>
                sort by {label}
              </option>
            ))}
          </select>
          <label className="flex items-center gap-1 text-sm">
            <input type="checkbox" name="guestsOnly" value="1" defaultChecked={sp.guestsOnly === "1"} /> servers only
          </label>
          <button type="submit" className="rounded-md px-3 py-2 text-sm font-medium ring-1 ring-slate-300 hover:bg-slate-100 dark:ring-slate-700 dark:hover:bg-slate-800">
            Filter
          </button>
        </form>
        {result.unreachable.length ? <p className="mb-2 text-sm text-amber-700">Not answering: {result.unreachable.join(", ")}</p> : null}
        <DataTable
          testId="process-table"
          rows={result.rows}
          rowKey={(r) => `${r.hostId}-${r.pid}`}
          empty={<EmptyState title="No process matches" />}
          columns={[
            { header: "Host", cell: (r) => r.host },
            {
              header: "CONTEXT",
              cell: (r) => (
                <span className="font-mono text-xs" data-testid="process-context">
                  {r.context} {r.serverId ? <Link href={`/servers/${r.serverId}`} className="text-indigo-600 hover:underline">{r.vserver}</Link> : r.vserver}
                </span>
              ),
            },
            { header: "Customer", cell: (r) => <span className="text-xs">{r.customer ?? "—"}</span> },
            { header: "PID", cell: (r) => <span className="font-mono text-xs">{r.pid}{r.guestPid !== null ? ` (${r.guestPid})` : ""}</span> },
            {
              header: "User",
              // A server in its own user namespace runs as host uids of its range: show the guest's view too.
              cell: (r) => (
                <span data-testid="process-user">
                  {r.user}
                  {r.guestUid !== null && r.guestUid !== r.uid ? <span className="text-xs text-slate-500" data-testid="process-guest-uid"> (guest uid {r.guestUid})</span> : null}
                </span>
              ),
            },
            { header: "S", cell: (r) => r.state },
            { header: "%CPU", cell: (r) => r.cpuPercent.toFixed(1) },
            { header: "RSS", cell: (r) => formatBytes(r.rssBytes) },
            { header: "Time", cell: (r) => `${Math.round(r.cpuTimeSec)}s` },
            {
              header: "Command",
              cell: (r) =>
                r.argumentsHidden ? (
                  <span className="text-xs" data-testid="process-command" data-hidden="1">
                    <code>{r.command}</code> <span className="text-slate-500" title="Arguments of host processes can carry secrets; only admins see them.">(arguments hidden)</span>
                  </span>
                ) : (
                  <code className="block max-w-md truncate text-xs" title={r.command} data-testid="process-command">
                    {r.command}
                  </code>
                ),
            },
          ]}
        />
        <p className="mt-2 text-xs text-slate-500">
          {result.rows.length} of {result.total} processes shown.
        </p>
      </Card>
    </>
  );
}
