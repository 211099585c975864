/** `/admin/hosts`: the hosts, their agents, capacity and what is sold on each; enroll more. */
import type { Metadata } from "next";
import Link from "next/link";
import { Card } from "@/components/ui/card";
import { columnsOf, DataTable } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { ActionButton } from "@/components/ui/action-button";
import { Badge } from "@/components/ui/badge";
import { HostStatusBadge } from "@/components/hosts/host-status-badge";
import { EnrollHostForm } from "@/components/hosts/enroll-host-form";
import { HostUsageCards } from "@/components/usage/host-usage-cards";
import { removeHostAction } from "@/lib/actions/hosts/remove-host-action";
import { setHostDrainingAction } from "@/lib/actions/hosts/set-host-draining-action";
import { EvacuateHostButton } from "@/components/hosts/evacuate-host-button";
import { unifyHostAction } from "@/lib/actions/hosts/unify-host-action";
import { formatBytes } from "@/lib/format";
import { load } from "@/lib/server/load";
import { adminActorAfterHostProbe } from "@/lib/server/hosts/admin-actor-after-host-probe";
import { readUnifyReport } from "@/lib/server/hosts/read-unify-report";
import { formatCpuMilli, formatDateTime, formatMb } from "@/lib/format";
import { listHosts } from "@/lib/server/hosts/list-hosts";

export const metadata: Metadata = { title: "Hosts" };
export const dynamic = "force-dynamic";

/** Hosts page. */
export default async function HostsPage() {
  const actor = await adminActorAfterHostProbe();
  const hosts = await load(listHosts, actor);
  // The last vunify report of each online host: what sharing identical files saved.
  const savings = new Map(
    await Promise.all(
      hosts.map(async (h) => {
        if (h.status !== "ONLINE") return [h.id, null] as const;
        return [h.id, await load(readUnifyReport, actor, h.id)] as const;
      }),
    ),
  );
  // Few columns, each a stack of short lines: thirteen side by side pushed the actions out of view.
  const columns = columnsOf(hosts, [
    {
      header: "Host",
      cell: (h) => (
        <span className="block min-w-48">
          <span className="font-medium">{h.name}</span>
          {h.draining ? (
            <span className="ml-2" title="In maintenance: the host takes no new servers">
              <Badge tone="amber">maintenance</Badge>
            </span>
          ) : null}
          <code className="block break-all text-xs text-slate-500 dark:text-slate-400">{h.endpoint}</code>
          <span className="block text-xs text-slate-500 dark:text-slate-400">
            agent {h.agentVersion ?? "—"} · cgroup {h.cgroupVersion ?? "?"}
          </span>
        </span>
      ),
    },
    {
      header: "Status",
      cell: (h) => (
        <span className="block">
          <HostStatusBadge status={h.status} />
          <span className="block text-xs text-slate-500 dark:text-slate-400">seen {formatDateTime(h.lastSeenAt)}</span>
        </span>
      ),
    },
    {
      header: "Sold",
      cell: (h) => (
        <span className="block whitespace-nowrap text-xs">
          <span className="block">{`servers: ${h.sold.servers} of ${h.maxServers}`}</span>
          {h.evacuation ? (
            <Link href={`/jobs/${h.evacuation.jobId}`} className="block font-medium text-indigo-600 hover:underline dark:text-indigo-400" data-testid={`evacuation-${h.name}`}>
              {`emptying: ${h.sold.servers} left, ${h.evacuation.moving} moving`}
            </Link>
          ) : null}
          <span className="block">{`CPU: ${formatCpuMilli(h.sold.cpuMilli)} of ${h.cpuCores}`}</span>
          <span className="block">{`RAM: ${formatMb(h.sold.memoryMb)} of ${formatMb(h.memoryMb)}`}</span>
        </span>
      ),
    },
    {
      header: "What it can do",
      cell: (h) => (
        <span className="block space-y-1 text-xs">
          <span className="block" data-testid="host-disk-abilities" title={h.can?.diskReason}>
            {!h.can ? "disks: not reported yet" : h.can.diskLimits === "none" ? "no disk limits here" : `${h.can.diskLimits === "loop" ? "loop images" : "project quota"}; ${h.can.onlineDiskGrow ? "grow while running" : "grow needs a restart"}`}
          </span>
          <span className="block" data-testid="host-own-view" title={h.can?.ownView?.reason}>
            {!h.can?.ownView ? "own view: not reported" : h.can.ownView.mode === "lxcfs" ? "servers see their own resources" : "servers see the host's resources"}
          </span>
          <span className="block" data-testid="host-movable" title={h.movable ? undefined : "Other hosts pull servers from this host's agent over TLS: start it with AGENT_LISTEN and enroll its https endpoint with its certificate."}>
            {h.movable ? "servers can move away" : "servers cannot move away (agent not on TLS)"}
          </span>
        </span>
      ),
    },
    {
      header: "Reconciled",
      cell: (h) => (
        <span className="text-xs" data-testid="host-reconciled">
          {formatDateTime(h.reconciledAt)}
          {h.unmanaged.length ? <span className="block text-amber-700 dark:text-amber-300">not in the panel: {h.unmanaged.join(", ")}</span> : null}
        </span>
      ),
    },
    {
      header: "Shared files (vunify)",
      cell: (h) => {
        const report = savings.get(h.id);
        return (
          <span className="text-xs" data-testid={`unify-${h.name}`}>
            {report ? `${formatBytes(report.totalSavedBytes)} saved` : "never run"}
          </span>
        );
      },
    },
    {
      header: "Actions",
      cell: (h) => (
        // Wrapped, not overflowing: a host with every action fits the page at 1280 px.
        <span className="flex flex-wrap gap-2">
          {h.status === "ONLINE" ? (
            <ActionButton look="secondary" action={unifyHostAction.bind(null, h.id)} onDone={undefined}>
              Unify
            </ActionButton>
          ) : null}
          <ActionButton
            look="secondary"
            action={setHostDrainingAction.bind(null, h.id, !h.draining)}
            confirm={h.draining ? (h.evacuation ? "The host takes new servers again. The servers still on it stay; the moves under way finish." : undefined) : undefined}
          >
            {h.draining ? "End maintenance" : "Maintenance"}
          </ActionButton>
          {h.status === "ONLINE" && h.sold.servers > 0 && !h.evacuation && h.movable ? (
            <EvacuateHostButton hostId={h.id} hostName={h.name} servers={h.sold.servers} />
          ) : null}
          {h.sold.servers === 0 && !h.isLocal ? (
            <ActionButton look="danger" confirm={`Remove host ${h.name}?`} action={removeHostAction.bind(null, h.id)}>
              Remove
            </ActionButton>
          ) : null}
        </span>
      ),
    },
  ]);
  return (
    <>
      <PageHeader title="Hosts" description="Machines that run an agent and vservers." />
      <Card title="Hosts" className="mb-6">
        <DataTable testId="hosts-table" rows={hosts} rowKey={(h) => h.id} empty={<EmptyState title="No hosts yet">Enroll the first one below.</EmptyState>} columns={columns} />
      </Card>
      <HostUsageCards hosts={hosts.map((h) => ({ id: h.id, name: h.name }))} />
      <Card title="Enroll a host">
        <EnrollHostForm />
      </Card>
    </>
  );
}
