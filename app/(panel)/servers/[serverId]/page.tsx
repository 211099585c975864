/** `/servers/[serverId]`: one server: state, power, live job, addresses, limits, usage, user ids, history. */
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { JobList } from "@/components/jobs/job-list";
import { JobProgress } from "@/components/jobs/job-progress";
import { LiveState } from "@/components/servers/live-state";
import { PowerButtons } from "@/components/servers/power-buttons";
import { UsageCard } from "@/components/servers/usage-card";
import { ResourceSliders } from "@/components/servers/resource-sliders";
import { RootAccessForm } from "@/components/servers/root-access-form";
import { MaintenanceCard } from "@/components/servers/maintenance-card";
import { UserNamespaceCard } from "@/components/servers/user-namespace-card";
import { buildMethods } from "@/lib/server/vservers/provision/wizard-options";
import { ConsolePanel } from "@/components/console/console-panel";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { formatCpuMilli, formatDateTime, formatMb } from "@/lib/format";
import { currentActor } from "@/lib/server/auth/current-actor";
import { requireUser } from "@/lib/server/auth/current-user";
import { getServerOrThrow } from "@/lib/server/vservers/get-server-or-throw";
import { consoleVerdict } from "@/lib/server/console/console-access";
import { listActiveGrants, listSupportUsers } from "@/lib/server/console/support-console-grants";
import { readServerUsage } from "@/lib/server/vservers/read-usage";
import { interfacesOf } from "@/lib/server/jobs/handlers/server-row";

export const metadata: Metadata = { title: "Server" };
export const dynamic = "force-dynamic";

/** Build methods for a reinstall on this server's host (templates of that host only). */
async function maintenanceMethods(hostId: string) {
  const templates = (await db().osTemplate.findMany({ where: { hostId }, orderBy: { name: "asc" }, select: { name: true } })).map((t) => t.name);
  return buildMethods.map((m) => (m.value === "template" ? { ...m, distributions: templates } : m)).filter((m) => m.value !== "skeleton" && (m.value !== "template" || m.distributions.length > 0));
}

/** Server page. */
export default async function ServerPage({ params, searchParams }: { params: Promise<{ serverId: string }>; searchParams: Promise<{ job?: string }> }) {
  const user = await requireUser();
  const { serverId } = await params;
  const { job: jobParam } = await searchParams;
  const actor = await currentActor();
  const server = await getServerOrThrow(db(), actor, serverId).catch((e) => {
    if (e instanceof AppError && e.code === "NOT_FOUND") notFound();
    throw e;
  });
  const [jobs, usage] = await Promise.all([
    db().job.findMany({ where: { vserverId: server.id }, orderBy: { createdAt: "desc" }, take: 10, include: { createdBy: { select: { email: true } } } }),
    server.state === "BUILDING" ? Promise.resolve({ usage: null, error: "the server is being built" }) : readServerUsage(db(), server),
  ]);
  const [consoleState, grants, supportUsers] = await Promise.all([consoleVerdict(db(), actor, server), listActiveGrants(db(), actor, server.id), listSupportUsers(db(), actor)]);
  const live = jobs.find((j) => j.id === jobParam) ?? jobs.find((j) => j.state === "QUEUED" || j.state === "RUNNING");
  const provider = user.role === "ADMIN" || user.role === "RESELLER";
  const canPower = user.role !== "SUPPORT";
  return (
    <>
      <PageHeader
        title={server.name}
        description={`${server.hostname} · on ${server.host.name} · context ${server.contextId}`}
        actions={
          <div className="flex items-center gap-3">
            <LiveState serverId={server.id} state={server.state} suspended={server.suspended} />
            {consoleState.ok ? (
              <Link href={`/servers/${server.id}/console`} className="rounded-md px-3 py-2 text-sm font-semibold ring-1 ring-slate-300 hover:bg-slate-100 dark:ring-slate-700 dark:hover:bg-slate-800">
                Console
              </Link>
            ) : null}
          </div>
        }
      />
      {server.suspended ? (
        <p role="status" className="mb-4 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-950 dark:text-red-200">
          This server is suspended{server.suspendReason ? `: ${server.suspendReason}` : ""}.{user.role === "CUSTOMER" ? " Contact your provider to lift the suspension." : ""}
        </p>
      ) : null}
      {server.lastError ? (
        <p role="status" className="mb-4 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100">
          The last operation failed: {server.lastError}
        </p>
      ) : null}
      {canPower ? (
        <div className="mb-6">
          <PowerButtons serverId={server.id} name={server.name} state={server.state} suspended={server.suspended} provider={provider} />
        </div>
      ) : null}
      {live ? (
        <Card title={`Job: ${live.type}`} className="mb-6">
          <JobProgress jobId={live.id} initial={{ id: live.id, type: live.type, state: live.state, progress: live.progress, error: live.error, vserverId: live.vserverId }} />
        </Card>
      ) : null}
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-3">
        <Card title="Addresses">
          {server.addresses.length ? (
            <ul className="space-y-1 font-mono text-sm" data-testid="server-addresses">
              {interfacesOf(server.addresses).map((a) => (
                <li key={a.address}>
                  {a.address}/{a.prefix}
                </li>
              ))}
            </ul>
          ) : (
            <p className="text-sm text-slate-500">No addresses.</p>
          )}
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
      {server.plan && user.role !== "SUPPORT" && !["BUILDING", "DELETING"].includes(server.state) ? (
        <Card title="Resources" className="mt-6">
          <ResourceSliders
            serverId={server.id}
            values={{ cpuMilli: server.cpuMilli, memoryMb: server.memoryMb, swapMb: server.swapMb, diskMb: server.diskMb, pids: server.pids }}
            max={{ cpuMilli: server.plan.cpuMilliMax, memoryMb: server.plan.memoryMbMax, swapMb: server.plan.swapMbMax, diskMb: server.plan.diskMbMax, pids: server.plan.pidsMax }}
            usage={{ memoryBytes: usage.usage?.memoryBytes ?? null, diskBytes: usage.usage?.diskBytesUsed ?? null, processes: usage.usage?.processes ?? null }}
          />
        </Card>
      ) : null}
      <Card title="User ids" className="mt-6">
        <UserNamespaceCard serverId={server.id} name={server.name} enabled={server.userNamespace} canSwitch={user.role === "ADMIN" && !["BUILDING", "DELETING"].includes(server.state)} running={server.state === "RUNNING"} />
      </Card>
      <ConsolePanel serverId={server.id} verdict={consoleState} isAdmin={user.role === "ADMIN"} grants={grants} supportUsers={supportUsers} />
      {user.role !== "SUPPORT" && server.state === "RUNNING" ? (
        <Card title="Root access" className="mt-6">
          <RootAccessForm serverId={server.id} />
        </Card>
      ) : null}
      {user.role !== "SUPPORT" && !server.suspended && ["RUNNING", "STOPPED"].includes(server.state) ? (
        <Card title="Maintenance" className="mt-6">
          <MaintenanceCard
            serverId={server.id}
            running={server.state === "RUNNING"}
            stopped={server.state === "STOPPED"}
            isAdmin={user.role === "ADMIN"}
            methods={await maintenanceMethods(server.host.id)}
          />
        </Card>
      ) : null}
      <Card title="History" className="mt-6">
        <JobList jobs={jobs} />
      </Card>
    </>
  );
}
