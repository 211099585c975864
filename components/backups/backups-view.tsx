"use client";
/**
 * The Backups tab's list and actions: make a backup (within the plan's slots), and per
 * backup browse its files, restore the whole server, make a new server from it
 * (providers), or delete it. Destructive steps ask in a dialog that names what is lost.
 */
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { createBackupAction } from "@/lib/actions/backups/create-backup-action";
import { deleteBackupAction } from "@/lib/actions/backups/delete-backup-action";
import { restoreBackupAction } from "@/lib/actions/backups/restore-backup-action";
import { restoreBackupAsNewAction } from "@/lib/actions/backups/restore-backup-as-new-action";
import { formatBytes, formatDateTime } from "@/lib/format";
import type { ActionResult } from "@/lib/actions/action-result";
import type { BackupView } from "@/lib/server/backups/backup-view";
import { ConfirmDialog } from "./confirm-dialog";
import { SnapshotBrowser } from "./snapshot-browser";
import { AlertLine } from "@/components/ui/outcome-line";
import { TableHead } from "@/components/ui/table-head";

const input = "mt-1 block w-full rounded-md border-0 px-3 py-1.5 text-sm ring-1 ring-inset ring-slate-300 dark:bg-slate-900 dark:ring-slate-700";

type Ask = { kind: "restore" | "delete" | "as-new"; backup: BackupView } | null;

function seconds(ms: number | null): string {
  return ms === null ? "—" : ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** The freeze column: a stopped server needs none, a running one without a point-in-time view had none. */
function freeze(b: BackupView): string {
  if (b.consistency === "stopped") return "stopped";
  if (b.consistency === "none") return "not frozen";
  return b.freezeMs === null ? "—" : `${b.freezeMs} ms`;
}

function stateBadge(b: BackupView) {
  if (b.state === "OK") return <Badge tone="green">done</Badge>;
  if (b.state === "FAILED") return <Badge tone="red">failed</Badge>;
  if (b.state === "DELETING") return <Badge tone="amber">deleting</Badge>;
  return <Badge tone="indigo">running</Badge>;
}

/** The list and its actions. */
export function BackupsView({
  serverId,
  serverName,
  backups,
  slots,
  canWrite,
  isProvider,
  canBrowse,
  plans,
  currentPlanId,
}: {
  serverId: string;
  serverName: string;
  backups: BackupView[];
  slots: { slots: number; used: number };
  canWrite: boolean;
  isProvider: boolean;
  /** Browse and download the backup's files (not support: the list only). */
  canBrowse: boolean;
  plans: { id: string; name: string }[];
  currentPlanId: string | null;
}) {
  const router = useRouter();
  const [note, setNote] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [browsing, setBrowsing] = useState<string | null>(null);
  const [ask, setAsk] = useState<Ask>(null);
  const [askError, setAskError] = useState<string | null>(null);
  const [hostname, setHostname] = useState("");
  const [planId, setPlanId] = useState(currentPlanId ?? plans[0]?.id ?? "");
  const [pending, start] = useTransition();
  const follow = (jobId: string | null) => router.push(jobId ? `/servers/${serverId}/backups?job=${jobId}` : `/servers/${serverId}/backups`);
  const full = !isProvider && slots.used >= slots.slots;
  const close = () => {
    setAsk(null);
    setAskError(null);
  };
  const when = (b: BackupView) => formatDateTime(b.takenAt ?? b.createdAt);
  // What the three confirm dialogs (restore, delete, new server) share: each is open for
  // its own kind of ask, with one transition, one error line and one way out.
  const askDialog = (kind: NonNullable<Ask>["kind"]) => ({ open: ask?.kind === kind, pending, error: askError, onCancel: close });
  // A confirmed restore or delete: the action queues a job; an error stays in the dialog,
  // otherwise the dialog closes and the page follows the job.
  const confirmJob = (action: () => Promise<ActionResult<{ jobId: string | null }>>) => () =>
    start(async () => {
      const r = await action();
      if (!r.ok) return setAskError(r.message);
      close();
      follow(r.data.jobId);
    });

  return (
    <div className="space-y-6" data-testid="backups">
      {canWrite ? (
        <div className="flex flex-wrap items-end gap-3 text-sm">
          <label className="min-w-64 flex-1">
            <span className="text-slate-600 dark:text-slate-300">Note (optional)</span>
            <input className={input} value={note} maxLength={200} onChange={(e) => setNote(e.target.value)} placeholder="before the upgrade" name="note" />
          </label>
          <Button
            type="button"
            disabled={pending || full}
            onClick={() => {
              setError(null);
              start(async () => {
                const r = await createBackupAction(serverId, { note });
                if (r.ok) {
                  setNote("");
                  follow(r.data.jobId);
                } else setError(r.message);
              });
            }}
          >
            {pending ? "Queueing…" : "Back up now"}
          </Button>
          <p className="w-full text-slate-500" data-testid="backup-slots">
            On-demand backups: {slots.used} of {slots.slots} kept{full ? " — all slots are used; delete one to make room" : ""}. Scheduled backups are kept by the plan&apos;s retention.
          </p>
          <AlertLine text={error} className="w-full text-red-700 dark:text-red-400" />
        </div>
      ) : null}
      {backups.length === 0 ? (
        <p className="text-sm text-slate-500">No backups of {serverName} yet.</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm" data-testid="backup-list">
            <TableHead className="border-b border-slate-200 text-slate-500 dark:border-slate-800" cellClass="px-2 py-2" cells={["Time", "State", { label: "Size added", numeric: true }, { label: "Duration", numeric: true }, { label: "Freeze", numeric: true }, "Note", { label: "Actions", hidden: true }]} />
            <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
              {backups.map((b) => (
                <tr key={b.id} data-testid="backup-row" data-state={b.state} data-snapshot={b.shortId ?? ""}>
                  <td className="px-2 py-2 whitespace-nowrap">
                    {when(b)}
                    {b.shortId ? <span className="ml-2 font-mono text-xs text-slate-400">{b.shortId}</span> : null}
                  </td>
                  <td className="px-2 py-2 whitespace-nowrap">
                    {stateBadge(b)}
                    {b.consistency === "none" ? <span className="ml-2 text-xs whitespace-nowrap text-amber-700 dark:text-amber-400" title="Read while the server ran, without a point-in-time view">not point-in-time</span> : null}
                    {b.error ? <p className="mt-1 max-w-xs text-xs text-red-700 dark:text-red-400">{b.error}</p> : null}
                  </td>
                  <td className="px-2 py-2 text-right tabular-nums whitespace-nowrap">{b.addedBytes === null ? "—" : formatBytes(b.addedBytes)}</td>
                  <td className="px-2 py-2 text-right tabular-nums whitespace-nowrap">{seconds(b.durationMs)}</td>
                  <td className="px-2 py-2 text-right tabular-nums whitespace-nowrap">{freeze(b)}</td>
                  <td className="px-2 py-2 text-slate-600 dark:text-slate-300">
                    {b.scheduled ? <Badge tone="slate">scheduled</Badge> : null} {b.note}
                  </td>
                  <td className="px-2 py-2">
                    <div className="flex justify-end gap-2 whitespace-nowrap">
                      {canBrowse && b.state === "OK" ? (
                        <Button type="button" look="secondary" onClick={() => setBrowsing(browsing === b.id ? null : b.id)}>
                          {browsing === b.id ? "Close files" : "Browse files"}
                        </Button>
                      ) : null}
                      {canWrite && b.state === "OK" ? (
                        <Button type="button" look="secondary" onClick={() => setAsk({ kind: "restore", backup: b })}>
                          Restore…
                        </Button>
                      ) : null}
                      {isProvider && b.state === "OK" ? (
                        <Button type="button" look="secondary" onClick={() => setAsk({ kind: "as-new", backup: b })}>
                          New server…
                        </Button>
                      ) : null}
                      {/* The provider's scheduled backups are kept by the plan's retention: a customer deletes the ones it made. */}
                      {canWrite && (isProvider || !b.scheduled) && (b.state === "OK" || b.state === "FAILED") ? (
                        <Button type="button" look="secondary" className="text-red-700 dark:text-red-400" onClick={() => setAsk({ kind: "delete", backup: b })}>
                          Delete
                        </Button>
                      ) : null}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {browsing ? (
        <section className="rounded-md bg-slate-50 p-4 ring-1 ring-slate-200 dark:bg-slate-950 dark:ring-slate-800">
          <SnapshotBrowser
            key={browsing}
            serverId={serverId}
            backupId={browsing}
            label={`Backup of ${when(backups.find((b) => b.id === browsing)!)}`}
            canRestore={canWrite}
            canDownload={canBrowse}
            onRestoreQueued={(jobId) => follow(jobId)}
          />
        </section>
      ) : null}
      <ConfirmDialog {...askDialog("restore")} title={`Restore ${serverName} to this backup?`} confirmLabel="Restore the whole server" onConfirm={confirmJob(() => restoreBackupAction(serverId, ask!.backup.id))}>
        <p>
          The server is stopped and its whole system and configuration are put back to the backup of <strong>{ask ? when(ask.backup) : ""}</strong>.
        </p>
        <p className="font-medium text-red-700 dark:text-red-400">Everything written on the server since then is lost.</p>
        <p>The current system is kept until the restored one has started, and comes back if it does not.</p>
      </ConfirmDialog>
      <ConfirmDialog {...askDialog("delete")} title="Delete this backup?" confirmLabel="Delete backup" onConfirm={confirmJob(() => deleteBackupAction(serverId, ask!.backup.id))}>
        <p>The backup of {ask ? when(ask.backup) : ""} is removed from its storage for good; it cannot be restored afterwards.</p>
      </ConfirmDialog>
      <ConfirmDialog
        {...askDialog("as-new")}
        title="New server from this backup"
        confirmLabel="Create server"
        danger={false}
        onConfirm={() =>
          start(async () => {
            const r = await restoreBackupAsNewAction(serverId, ask!.backup.id, { hostname, planId });
            if (!r.ok) return setAskError(r.message);
            close();
            router.push(`/servers/${r.data.serverId}?job=${r.data.jobId}`);
          })
        }
      >
        <p>A new server for the same customer, with its own name, addresses and limits, made from the backup of {ask ? when(ask.backup) : ""}. {serverName} is not changed.</p>
        <label className="block">
          Hostname
          <input className={input} value={hostname} onChange={(e) => setHostname(e.target.value)} placeholder="copy.example.com" name="hostname" />
        </label>
        <label className="block">
          Plan
          <select className={input} value={planId} onChange={(e) => setPlanId(e.target.value)} name="planId">
            {plans.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
      </ConfirmDialog>
    </div>
  );
}
