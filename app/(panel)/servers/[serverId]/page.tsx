/** `/servers/[serverId]`: one server: state, power, live job, addresses, limits, usage, user ids, history. */
import type { Metadata } from "next";
import Link from "next/link";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { JobList } from "@/components/jobs/job-list";
import { LiveJobCard } from "@/components/jobs/live-job-card";
import { LiveState } from "@/components/servers/live-state";
import { PowerButtons } from "@/components/servers/power-buttons";
import { UsageCard } from "@/components/servers/usage-card";
import { ServerUsageCard } from "@/components/usage/server-usage-card";
import { ResourceSliders } from "@/components/servers/resource-sliders";
import { RootAccessForm } from "@/components/servers/root-access-form";
import { MaintenanceCard } from "@/components/servers/maintenance-card";
import { RescueCard } from "@/components/servers/rescue-card";
import { MoveToHostCard } from "@/components/servers/move-to-host-card";
import { listMigrationTargets } from "@/lib/server/migration/migration-targets";
import { recentMoveDowntime } from "@/lib/server/migration/recent-move-downtime";
import { UserNamespaceCard } from "@/components/servers/user-namespace-card";
import { RestartPolicyCard } from "@/components/servers/restart-policy-card";
import { buildMethods } from "@/lib/server/vservers/provision/wizard-options";
import { ConsolePanel } from "@/components/console/console-panel";
import { load } from "@/lib/server/load";
import { listHostTemplates } from "@/lib/server/templates/list-host-templates";
import { listServerJobs } from "@/lib/server/jobs/list-server-jobs";
import { formatCpuMilli, formatDateTime, formatMb } from "@/lib/format";
import type { ServerDetail } from "@/lib/server/vservers/get-server-or-throw";
import { consoleVerdict } from "@/lib/server/console/console-access";
import { listActiveGrants, listSupportUsers } from "@/lib/server/console/support-console-grants";
import { readServerUsage } from "@/lib/server/vservers/read-usage";
import { lastUnexpectedStop } from "@/lib/server/vservers/last-unexpected-stop";
import { interfacesOf } from "@/lib/server/jobs/handlers/server-row";
import { serverStatusOf } from "@/lib/server/vservers/server-status";
import { addressChoices } from "@/lib/server/vservers/address-choices";
import { plansForServer } from "@/lib/server/vservers/change-plan";
import { listPlanChangeRequests } from "@/lib/server/vservers/plan-change-requests";
import { hostCapabilitiesOf } from "@/lib/server/hosts/host-capabilities";
import { diskAbilities } from "@/lib/server/vservers/resize/plan-resize";
import { AddressesCard } from "@/components/servers/addresses-card";
import { ReverseDnsCard } from "@/components/servers/reverse-dns-card";
import { getServerReverseDns } from "@/lib/server/dns/list-reverse-dns";
import { BuildFailedCard } from "@/components/servers/build-failed-card";
import { PlanChangeCard } from "@/components/servers/plan-change-card";
import { HostOfflineNotice } from "@/components/servers/host-offline-notice";
import { isKnownOffline } from "@/lib/server/hosts/host-offline";
import { listSshKeys } from "@/lib/server/ssh-keys/list-ssh-keys";
import { openServerPage } from "./open-server-page";

export const metadata: Metadata = { title: "Server" };
export const dynamic = "force-dynamic";

/** Build methods for a reinstall on this server's host (templates of that host only). */
async function maintenanceMethods(server: ServerDetail) {
  const templates = await load(listHostTemplates, server);
  return buildMethods.map((m) => (m.value === "template" ? { ...m, distributions: templates } : m)).filter((m) => m.value !== "skeleton" && (m.value !== "template" || m.distributions.length > 0));
}

/** Server page. */
export default async function ServerPage({ params, searchParams }: { params: Promise<{ serverId: string }>; searchParams: Promise<{ job?: string }> }) {
  const { user, actor, server } = await openServerPage(params);
  const { job: jobParam } = await searchParams;
  const [jobs, usage, lastStop] = await Promise.all([
    load(listServerJobs, server),
    server.state === "BUILDING" ? Promise.resolve({ usage: null, error: "the server is being built" }) : load(readServerUsage, server),
    load(lastUnexpectedStop, server.id),
  ]);
  const [consoleState, grants, supportUsers] = await Promise.all([load(consoleVerdict, actor, server), load(listActiveGrants, actor, server.id), load(listSupportUsers, actor)]);
  const provider = user.role === "ADMIN" || user.role === "RESELLER";
  const canPower = user.role !== "SUPPORT";
  const settled = ["RUNNING", "STOPPED"].includes(server.state) && !server.suspended;
  const buildFailed = server.state === "ERROR" && jobs.find((j) => j.type === "server.create")?.state === "FAILED";
  const canChange = canPower && settled;
  const reverseDns = await load(getServerReverseDns, actor, server.id);
  const [addChoices, planChoices, pendingRequests] = await Promise.all([
    load(addressChoices, server),
    canChange ? load(plansForServer, server) : Promise.resolve([]),
    canPower ? load(listPlanChangeRequests, actor, { state: "PENDING", serverId: server.id }) : Promise.resolve([]),
  ]);
  const pendingRequest = pendingRequests[0];
  const inside = new Map(interfacesOf(server.addresses).map((i, n) => [server.addresses[n]!.id, `${i.address}/${i.prefix}`]));
  return (
    <>
      <PageHeader
        title={server.name}
        description={`${server.hostname} · on ${server.host.name} · context ${server.contextId}`}
        actions={
          <div className="flex items-center gap-3">
            <LiveState serverId={server.id} initial={serverStatusOf(server)} />
            <Link href={`/servers/${server.id}/backups`} data-testid="backups-link" className="rounded-md px-3 py-2 text-sm font-semibold ring-1 ring-slate-300 hover:bg-slate-100 dark:ring-slate-700 dark:hover:bg-slate-800">
              Backups
            </Link>
            {consoleState.ok ? (
              <Link href={`/servers/${server.id}/console`} className="rounded-md px-3 py-2 text-sm font-semibold ring-1 ring-slate-300 hover:bg-slate-100 dark:ring-slate-700 dark:hover:bg-slate-800">
                Console
              </Link>
            ) : null}
          </div>
        }
      />
      <HostOfflineNotice host={server.host} />
      {server.suspended ? (
        <p role="status" className="mb-4 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-950 dark:text-red-200">
          This server is suspended{server.suspendReason ? `: ${server.suspendReason}` : ""}.{user.role === "CUSTOMER" ? " Contact your provider to lift the suspension." : ""}
        </p>
      ) : null}
      {server.rescueUntil ? (
        <p role="status" data-testid="rescue-banner" className="mb-4 rounded-md bg-amber-50 px-3 py-2 text-sm font-medium text-amber-900 dark:bg-amber-950 dark:text-amber-100">
          Rescue mode: this server runs the rescue system until {formatDateTime(server.rescueUntil)}; its own root is at /mnt.
        </p>
      ) : null}
      {server.driftNote ? (
        <p role="status" data-testid="drift-note" className="mb-4 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100">
          The host differs from the panel&apos;s record: {server.driftNote}
        </p>
      ) : null}
      {lastStop ? (
        <p role="status" data-testid="last-unexpected-stop" className="mb-4 rounded-md bg-slate-50 px-3 py-2 text-sm text-slate-700 dark:bg-slate-900 dark:text-slate-200">
          Last unexpected stop: {formatDateTime(lastStop.at)}, {lastStop.oom ? "out of memory: " : ""}
          {lastStop.cause}
        </p>
      ) : null}
      {server.lastError && !buildFailed ? (
        <p role="status" className="mb-4 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100">
          The last operation failed: {server.lastError}
        </p>
      ) : null}
      {buildFailed ? (
        <Card title="Build failed" className="mb-6">
          <BuildFailedCard serverId={server.id} name={server.name} error={server.lastError} provider={provider} />
        </Card>
      ) : null}
      {canPower && !buildFailed ? (
        <div className="mb-6">
          <PowerButtons serverId={server.id} name={server.name} state={server.state} suspended={server.suspended} provider={provider} hostOffline={isKnownOffline(server.host)} />
        </div>
      ) : null}
      <LiveJobCard jobs={jobs} named={jobParam} />
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-3">
        <Card title="Addresses">
          <AddressesCard
            serverId={server.id}
            addresses={server.addresses.map((a) => ({ id: a.id, address: a.address, prefix: a.prefix, family: a.family, inside: inside.get(a.id) ?? `${a.address}/${a.prefix}` }))}
            canChange={canChange}
            add={addChoices}
          />
        </Card>
        <Card title="Limits">
          <dl className="grid grid-cols-2 gap-2 text-sm" data-testid="server-limits">
            <dt className="text-slate-500">CPU</dt>
            <dd>{formatCpuMilli(server.cpuMilli)}</dd>
            <dt className="text-slate-500">Memory</dt>
            <dd>{formatMb(server.memoryMb)}</dd>
            <dt className="text-slate-500">Swap</dt>
            <dd>{formatMb(server.swapMb)}</dd>
            <dt className="text-slate-500">Disk</dt>
            <dd>{formatMb(server.diskMb)}</dd>
            <dt className="text-slate-500">Processes</dt>
            <dd>{server.pids}</dd>
            <dt className="text-slate-500">Plan</dt>
            <dd>{server.plan?.name ?? "—"}</dd>
            <dt className="text-slate-500">Owner</dt>
            <dd className="truncate">{server.owner.email}</dd>
            <dt className="text-slate-500">Created</dt>
            <dd>{formatDateTime(server.createdAt)}</dd>
          </dl>
        </Card>
        <UsageCard usage={usage.usage} error={usage.error} limits={server} />
      </div>
      {reverseDns ? (
        <Card title="Reverse DNS" className="mt-6">
          <ReverseDnsCard serverId={server.id} state={reverseDns} canChange={canPower} />
        </Card>
      ) : null}
      {server.plan && user.role !== "SUPPORT" && !(server.suspended && user.role === "CUSTOMER") && !["BUILDING", "DELETING"].includes(server.state) ? (
        <Card title="Resources" className="mt-6">
          <ResourceSliders
            serverId={server.id}
            values={{ cpuMilli: server.cpuMilli, memoryMb: server.memoryMb, swapMb: server.swapMb, diskMb: server.diskMb, pids: server.pids }}
            max={{ cpuMilli: server.plan.cpuMilliMax, memoryMb: server.plan.memoryMbMax, swapMb: server.plan.swapMbMax, diskMb: server.plan.diskMbMax, pids: server.plan.pidsMax }}
            usage={{ memoryBytes: usage.usage?.memoryBytes ?? null, diskBytes: usage.usage?.diskBytesUsed ?? null, processes: usage.usage?.processes ?? null }}
            disk={diskAbilities(hostCapabilitiesOf(server.host.capabilities), server.state === "RUNNING", server.host.name)}
          />
        </Card>
      ) : null}
      {canChange || pendingRequest ? (
        <Card title="Plan" className="mt-6">
          <PlanChangeCard
            serverId={server.id}
            currentPlanId={server.planId}
            plans={planChoices.map((p) => ({ id: p.id, name: p.name, priceCents: p.priceCents, currency: p.currency, customerSelectable: p.customerSelectable }))}
            pending={pendingRequest ? { id: pendingRequest.id, toPlanName: pendingRequest.toPlan.name, note: pendingRequest.note, mine: pendingRequest.requestedById === actor.userId } : null}
          />
        </Card>
      ) : null}
      {server.state !== "BUILDING" ? <ServerUsageCard serverId={server.id} /> : null}
      <Card title="Restart after a crash" className="mt-6">
        <RestartPolicyCard serverId={server.id} policy={server.restartPolicy === "never" || server.restartPolicy === "on-failure" ? server.restartPolicy : null} canChange={canChange} />
      </Card>
      <Card title="User ids" className="mt-6">
        <UserNamespaceCard serverId={server.id} name={server.name} enabled={server.userNamespace} canSwitch={user.role === "ADMIN" && !["BUILDING", "DELETING"].includes(server.state)} running={server.state === "RUNNING"} />
      </Card>
      {!["BUILDING", "DELETING", "ERROR", "PENDING"].includes(server.state) ? (
        <Card title="Rescue mode" className="mt-6">
          <RescueCard
            serverId={server.id}
            name={server.name}
            rescueUntil={server.rescueUntil?.toISOString() ?? null}
            canChange={canPower}
            canStart={settled && !jobs.some((j) => j.state === "QUEUED" || j.state === "RUNNING")}
            sshKeys={canPower ? (await load(listSshKeys, actor)).map((k) => ({ id: k.id, name: k.name, fingerprint: k.fingerprint })) : []}
          />
        </Card>
      ) : null}
      <ConsolePanel serverId={server.id} verdict={consoleState} isAdmin={user.role === "ADMIN"} grants={grants} supportUsers={supportUsers} />
      {user.role !== "SUPPORT" && server.state === "RUNNING" ? (
        <Card title="Root access" className="mt-6">
          <RootAccessForm serverId={server.id} />
        </Card>
      ) : null}
      {user.role !== "SUPPORT" && !server.suspended && !server.rescueUntil && ["RUNNING", "STOPPED"].includes(server.state) ? (
        <Card title="Maintenance" className="mt-6">
          <MaintenanceCard
            serverId={server.id}
            name={server.name}
            sshKeys={(await load(listSshKeys, actor)).map((k) => ({ id: k.id, name: k.name, fingerprint: k.fingerprint }))}
            running={server.state === "RUNNING"}
            stopped={server.state === "STOPPED"}
            isAdmin={user.role === "ADMIN"}
            methods={await maintenanceMethods(server)}
          />
        </Card>
      ) : null}
      {user.role === "ADMIN" && ["RUNNING", "STOPPED"].includes(server.state) ? (
        <Card title="Move to another host" className="mt-6">
          <MoveToHostCard
            serverId={server.id}
            running={server.state === "RUNNING"}
            targets={await load(listMigrationTargets, actor, server.id)}
            recentDowntime={server.state === "RUNNING" ? { precopy: await load(recentMoveDowntime, actor, "precopy"), offline: await load(recentMoveDowntime, actor, "offline") } : null}
          />
        </Card>
      ) : null}
      <Card title="History" className="mt-6">
        <JobList jobs={jobs} />
      </Card>
    </>
  );
}
