/**
 * `/servers/[serverId]/backups`: the server's backups — make one, browse, restore the
 * whole server or single files, download, delete; a running backup's progress live.
 * Another tenant's server is a 404; support sees the list read-only.
 */
import type { Metadata } from "next";
import Link from "next/link";
import { BackupsView } from "@/components/backups/backups-view";
import { LiveJobCard } from "@/components/jobs/live-job-card";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { load } from "@/lib/server/load";
import { listBackupJobs } from "@/lib/server/backups/list-backup-jobs";
import { hostBackupAbilities } from "@/lib/server/backups/host-backup-abilities";
import { listServerBackups } from "@/lib/server/backups/list-server-backups";
import { backupSlots } from "@/lib/server/backups/request-backup";
import { plansForServer } from "@/lib/server/vservers/change-plan";
import { openServerPage } from "../open-server-page";

export const metadata: Metadata = { title: "Backups" };
export const dynamic = "force-dynamic";

function scheduleText(plan: { backupSchedule: string; backupTime: string; backupWeekday: number; keepDaily: number; keepWeekly: number; keepMonthly: number } | null): string {
  if (!plan || plan.backupSchedule === "NONE") return "No scheduled backups in this server's plan.";
  const days = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
  const when = plan.backupSchedule === "DAILY" ? `every day at ${plan.backupTime} UTC` : `every ${days[plan.backupWeekday] ?? "week"} at ${plan.backupTime} UTC`;
  return `Scheduled backups ${when}; kept: ${plan.keepDaily} daily, ${plan.keepWeekly} weekly, ${plan.keepMonthly} monthly.`;
}

/** Backups page. */
export default async function BackupsPage({ params, searchParams }: { params: Promise<{ serverId: string }>; searchParams: Promise<{ job?: string }> }) {
  const { user, actor, server } = await openServerPage(params);
  const { job: jobParam } = await searchParams;
  const provider = user.role === "ADMIN" || user.role === "RESELLER";
  const [backups, slots, abilities, jobs, plans] = await Promise.all([
    load(listServerBackups, actor, server.id),
    load(backupSlots, server),
    load(hostBackupAbilities, server.host),
    load(listBackupJobs, server),
    provider ? load(plansForServer, server) : Promise.resolve([]),
  ]);
  const canWrite = user.role !== "SUPPORT" && !server.suspended && ["RUNNING", "STOPPED"].includes(server.state);
  const back = (
    <Link href={`/servers/${server.id}`} className="rounded-md px-3 py-2 text-sm font-semibold ring-1 ring-slate-300 hover:bg-slate-100 dark:ring-slate-700 dark:hover:bg-slate-800">
      ← Server
    </Link>
  );
  return (
    <>
      <PageHeader title={`Backups: ${server.name}`} description={`${server.hostname} · on ${server.host.name} · ${scheduleText(server.plan)}`} actions={back} />
      {abilities.warning ? (
        <p role="status" data-testid="backup-host-warning" className="mb-4 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100">
          {abilities.warning}
        </p>
      ) : null}
      {user.role === "SUPPORT" ? (
        <p role="status" className="mb-4 rounded-md bg-slate-50 px-3 py-2 text-sm text-slate-700 dark:bg-slate-900 dark:text-slate-200">
          Support view: the list is read-only.
        </p>
      ) : null}
      <LiveJobCard jobs={jobs} named={jobParam} />
      <Card title="Backups">
        <BackupsView
          serverId={server.id}
          serverName={server.name}
          backups={backups}
          slots={slots}
          canWrite={canWrite}
          isProvider={provider && canWrite}
          canBrowse={user.role !== "SUPPORT"}
          plans={plans.map((p) => ({ id: p.id, name: p.name }))}
          currentPlanId={server.planId}
        />
      </Card>
    </>
  );
}
