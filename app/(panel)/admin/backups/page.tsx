/**
 * `/admin/backups`: backup storage per host — each target's space, snapshots, last check
 * and problem; add an SFTP target (for one host or all, with the hosts' SSH keys to
 * authorize); make a target the default, check it now, remove it; and how long a
 * terminated server's backups are kept.
 */
import type { Metadata } from "next";
import { TargetForm } from "@/components/backups/target-form";
import { ActionButton } from "@/components/ui/action-button";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { ActionForm, FormField, SubmitButton } from "@/components/ui/form";
import { PageHeader } from "@/components/ui/page-header";
import { checkBackupTargetAction, deleteBackupTargetAction, setBackupGraceAction, setDefaultBackupTargetAction } from "@/lib/actions/backups/manage-backup-target-actions";
import { load } from "@/lib/server/load";
import { backupAbilitiesOfHosts } from "@/lib/server/backups/backup-abilities-of-hosts";
import { formatBytes, formatDateTime } from "@/lib/format";
import { currentActor } from "@/lib/server/auth/current-actor";
import { requireRole } from "@/lib/server/auth/current-user";
import { backupOverview, type HostTargetView } from "@/lib/server/backups/backup-overview";
import { backupGraceDays } from "@/lib/server/backups/backup-settings";
import { listOrphanedBackups } from "@/lib/server/backups/list-orphaned-backups";
import { listPlans } from "@/lib/server/plans/list-plans";
import { restoreTerminatedServerAction } from "@/lib/actions/backups/restore-terminated-server-action";
import { FormSelect } from "@/components/ui/form";
import { TableHead } from "@/components/ui/table-head";

export const metadata: Metadata = { title: "Backups" };
export const dynamic = "force-dynamic";

function where(t: HostTargetView): string {
  const l = t.info?.location;
  if (!l) return "—";
  return l.kind === "local" ? l.path : `${l.user}@${l.host}:${l.port}/${l.path}`;
}

/** Backups admin page. */
export default async function AdminBackupsPage() {
  await requireRole("ADMIN");
  const actor = await currentActor();
  const [hosts, graceDays, orphaned, plans] = await Promise.all([load(backupOverview, actor), load(backupGraceDays), load(listOrphanedBackups, actor), load(listPlans, actor, { pageSize: 200 })]);
  const abilities = await load(backupAbilitiesOfHosts, actor, hosts.map((h) => h.hostId));
  return (
    <>
      <PageHeader title="Backups" description="Where servers are backed up (restic repositories, deduplicated and encrypted), per host." />
      {hosts.length === 0 ? <EmptyState title="No hosts yet">Enroll a host first.</EmptyState> : null}
      {hosts.map((h) => (
        <Card key={h.hostId} title={`Host ${h.hostName}`} className="mb-6" actions={h.online ? <Badge tone="green">reachable</Badge> : <Badge tone="red">unreachable</Badge>}>
          {h.error ? (
            <p role="status" className="mb-3 text-sm text-red-700 dark:text-red-400">
              The host did not answer ({h.error}); the figures below are its last report.
            </p>
          ) : null}
          {abilities.get(h.hostId)?.warning ? (
            <p role="status" data-testid="backup-host-warning" className="mb-3 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100">
              {abilities.get(h.hostId)!.warning}
            </p>
          ) : null}
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm" data-testid="backup-targets" data-host={h.hostName}>
              <TableHead className="border-b border-slate-200 text-slate-500 dark:border-slate-800" cellClass="px-2 py-2" cells={["Target", "Where", { label: "Repository", numeric: true }, { label: "Free", numeric: true }, { label: "Snapshots", numeric: true }, "Last check", "Problem", { label: "Actions", hidden: true }]} />
              <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
                {h.targets.map((t) => (
                  <tr key={t.key} data-testid="backup-target-row" data-key={t.key}>
                    <td className="px-2 py-2">
                      <span className="font-medium">{t.name}</span> <span className="text-xs text-slate-500">{t.kind === "LOCAL" ? "local disk" : "SFTP"}</span>
                      {t.forAllHosts ? <span className="ml-1 text-xs text-slate-500">· all hosts</span> : null}
                      {t.isDefault ? (
                        <span className="ml-2">
                          <Badge tone="indigo">default</Badge>
                        </span>
                      ) : null}
                    </td>
                    <td className="px-2 py-2 font-mono text-xs">{where(t)}</td>
                    <td className="px-2 py-2 text-right tabular-nums">{t.info?.repositoryBytes == null ? "—" : formatBytes(t.info.repositoryBytes)}</td>
                    <td className="px-2 py-2 text-right tabular-nums">{t.info?.freeBytes == null ? "—" : formatBytes(t.info.freeBytes)}</td>
                    <td className="px-2 py-2 text-right tabular-nums">{t.info?.snapshots ?? "—"}</td>
                    <td className="px-2 py-2 text-xs">
                      {t.info?.lastCheck ? (
                        <>
                          <Badge tone={t.info.lastCheck.ok ? "green" : "red"}>{t.info.lastCheck.ok ? "ok" : "failed"}</Badge> {formatDateTime(t.info.lastCheck.at)}
                        </>
                      ) : (
                        "never"
                      )}
                    </td>
                    <td className="px-2 py-2 text-xs text-red-700 dark:text-red-400">{t.problem ?? (t.info?.lastCheck && !t.info.lastCheck.ok ? t.info.lastCheck.message : "")}</td>
                    <td className="px-2 py-2">
                      {t.targetId ? (
                        <div className="flex flex-wrap justify-end gap-2">
                          <ActionButton look="secondary" action={checkBackupTargetAction.bind(null, t.targetId, h.hostId)}>
                            Check now
                          </ActionButton>
                          {!t.isDefault ? (
                            <ActionButton look="secondary" action={setDefaultBackupTargetAction.bind(null, t.targetId)}>
                              Make default
                            </ActionButton>
                          ) : null}
                          {t.key !== "local" ? (
                            <ActionButton look="secondary" action={deleteBackupTargetAction.bind(null, t.targetId)} confirm={`Remove target ${t.name}? Its repository stays on the SSH server; the panel forgets it.`}>
                              Remove
                            </ActionButton>
                          ) : null}
                        </div>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </Card>
      ))}
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-3">
        <Card title="Add an SFTP target" className="lg:col-span-2">
          <TargetForm hosts={hosts.map((h) => ({ id: h.hostId, name: h.hostName, sshPublicKey: h.sshPublicKey }))} />
        </Card>
        <Card title="Grace period">
          <ActionForm action={setBackupGraceAction} resetOnSuccess={false}>
            <p className="text-sm text-slate-500">A terminated server&apos;s backups are kept this many days (a restore as a new server is still possible), then pruned.</p>
            <FormField label="Keep for (days)" name="graceDays" type="number" min={0} max={3650} defaultValue={String(graceDays)} />
            <SubmitButton>Save</SubmitButton>
          </ActionForm>
        </Card>
        <Card title="Backups of terminated servers" className="lg:col-span-3">
          {orphaned.length === 0 ? (
            <p className="text-sm text-slate-500" data-testid="orphaned-none">
              No terminated server has backups left.
            </p>
          ) : (
            <>
              <div className="overflow-x-auto">
                <table className="w-full text-left text-sm" data-testid="orphaned-backups">
                  <thead className="border-b border-slate-200 text-slate-500 dark:border-slate-800">
                    <tr>
                      <th className="px-2 py-2 font-medium">Server</th>
                      <th className="px-2 py-2 font-medium">Customer</th>
                      <th className="px-2 py-2 font-medium">Host</th>
                      <th className="px-2 py-2 font-medium">Taken</th>
                      <th className="px-2 py-2 text-right font-medium">Size</th>
                      <th className="px-2 py-2 font-medium">Pruned after</th>
                    </tr>
                  </thead>
                  <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
                    {orphaned.map((b) => (
                      <tr key={b.id} data-testid="orphaned-backup-row" data-server={b.serverName}>
                        <td className="px-2 py-2 font-mono text-xs">{b.serverName}</td>
                        <td className="px-2 py-2">{b.ownerEmail}</td>
                        <td className="px-2 py-2">{b.hostName}</td>
                        <td className="px-2 py-2 text-xs">{b.takenAt ? formatDateTime(b.takenAt) : "—"}</td>
                        <td className="px-2 py-2 text-right tabular-nums">{b.totalBytes === null ? "—" : formatBytes(b.totalBytes)}</td>
                        <td className="px-2 py-2 text-xs">{b.prunedAfter ? formatDateTime(b.prunedAfter) : "after the next schedule pass marks it"}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <ActionForm action={restoreTerminatedServerAction} testId="restore-terminated" className="mt-4 grid grid-cols-1 gap-4 md:grid-cols-4 md:items-end">
                <FormSelect label="Backup" name="backupId" className="md:col-span-2">
                  {orphaned.map((b) => (
                    <option key={b.id} value={b.id}>
                      {b.serverName} — {b.takenAt ? formatDateTime(b.takenAt) : "?"} ({b.ownerEmail})
                    </option>
                  ))}
                </FormSelect>
                <FormField label="New server's hostname" name="hostname" placeholder="web1.example.com" required />
                <FormSelect label="Plan" name="planId" defaultValue="">
                  <option value="">The plan it had</option>
                  {plans.items.map((p) => (
                    <option key={p.id} value={p.id}>
                      {p.name}
                    </option>
                  ))}
                </FormSelect>
                <label className="flex items-center gap-2 text-sm md:col-span-3">
                  <input type="checkbox" name="start" defaultChecked className="accent-indigo-600" /> Start it when it is made
                </label>
                <SubmitButton>Restore as a new server</SubmitButton>
              </ActionForm>
            </>
          )}
        </Card>
      </div>
    </>
  );
}
