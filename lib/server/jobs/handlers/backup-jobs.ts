/**
 * Backup jobs (issue 14): make a backup (then apply the plan's retention), delete one,
 * and check a target's repository. Each starts the agent's operation once (a resumed job
 * follows the operation it already started) and copies its log and progress into the
 * job, which the browser sees live.
 */
import { AgentError } from "@/lib/agent-client";
import { applyRetention } from "@/lib/server/backups/apply-retention";
import { recordSnapshot } from "@/lib/server/backups/record-snapshot";
import { recordEvent } from "@/lib/server/events/record-event";
import { formatBytes } from "@/lib/format";
import type { JobContext } from "../job-context";
import { startOnce } from "./start-operation-once";
import { loadJobServer } from "./server-row";

/** The job's backup row with its target. */
export async function loadJobBackup(ctx: JobContext) {
  const backup = await ctx.db.backup.findUnique({ where: { id: String(ctx.payload.backupId ?? "") }, include: { target: true } });
  if (!backup) throw new Error("the backup no longer exists in the panel");
  return backup;
}

/** The agent's reference to a backup's snapshot. */
export function refOf(backup: Awaited<ReturnType<typeof loadJobBackup>>) {
  if (!backup.snapshotId) throw new Error("this backup has no snapshot");
  return { target: backup.target.key, name: backup.serverName, owner: backup.serverKey, snapshot: backup.snapshotId };
}

/** `backup.create`: the server's root and configuration to its target; then the retention. */
export async function createBackupJob(ctx: JobContext) {
  const server = await loadJobServer(ctx.db, ctx.job.vserverId);
  const backup = await loadJobBackup(ctx);
  const plan = server.planId ? await ctx.db.plan.findUnique({ where: { id: server.planId } }) : null;
  const panelRecord = {
    serverId: server.id,
    name: server.name,
    hostname: server.hostname,
    ownerId: server.ownerId,
    plan: plan ? { id: plan.id, name: plan.name } : null,
    buildMethod: server.buildMethod,
    distribution: server.distribution,
    userNamespace: server.userNamespace,
    addresses: server.addresses.map((a) => `${a.address}/${a.prefix}`),
    limits: { cpuMilli: server.cpuMilli, memoryMb: server.memoryMb, swapMb: server.swapMb, diskMb: server.diskMb, pids: server.pids },
  };
  await ctx.log(`backing up ${server.name} to target ${backup.target.name}`);
  await startOnce(ctx, () => ctx.agent().createBackup({ name: server.name, owner: backup.serverKey, target: backup.target.key, note: backup.note, panelRecord }));
  const snap = await recordSnapshot(ctx.db, ctx.agent(), backup, backup.target.key);
  if (!snap) throw new Error("the host reported success but the target holds no new snapshot of this server");
  await recordEvent(ctx.db, { type: "backup.done", vserverId: server.id, data: { name: server.name, snapshot: snap.shortId, addedBytes: snap.addedBytes } });
  const freeze = snap.consistency === "none" ? ", not frozen (no point-in-time view on this host)" : snap.freezeMs === null ? "" : `, frozen ${snap.freezeMs} ms`;
  await ctx.log(`snapshot ${snap.shortId}: ${formatBytes(snap.addedBytes)} added, ${(snap.durationMs / 1000).toFixed(1)} s${freeze} (${snap.consistency})`);
  if (plan) {
    const removed = await applyRetention(ctx.db, ctx.agent(), server.id, plan);
    if (removed.length) await ctx.log(`retention removed ${removed.length} older scheduled backup(s)`);
  }
  return { backupId: backup.id, snapshot: snap.id };
}

/** After a failed backup: the row says so (nothing half-written is counted) and an event tells its people. */
export async function undoCreateBackup(ctx: JobContext): Promise<void> {
  const backup = await ctx.db.backup.findUnique({ where: { id: String(ctx.payload.backupId ?? "") } });
  if (!backup || backup.state !== "RUNNING") return;
  const last = await ctx.db.jobLogLine.findFirst({ where: { jobId: ctx.job.id }, orderBy: { seq: "desc" } });
  const error = last?.text.replace(/^failed: /, "") ?? "the backup failed";
  await ctx.db.$transaction(async (tx) => {
    await tx.backup.update({ where: { id: backup.id }, data: { state: "FAILED", error } });
    await recordEvent(tx, { type: "backup.failed", vserverId: backup.vserverId, userId: backup.ownerId, data: { name: backup.serverName, error } });
  });
}

/** `backup.delete`: forgets the snapshot on its target and removes the row. */
export async function deleteBackupJob(ctx: JobContext) {
  const backup = await loadJobBackup(ctx);
  try {
    await ctx.agent().deleteBackup(refOf(backup), { timeoutMs: 30 * 60_000 });
  } catch (error) {
    if (!(error instanceof AgentError && error.code === "NOT_FOUND")) throw error;
    await ctx.log("the snapshot was not on its target any more");
  }
  await ctx.db.backup.delete({ where: { id: backup.id } });
  await ctx.log(`deleted backup ${backup.snapshotId?.slice(0, 8)}`);
  return { backupId: backup.id };
}

/** A failed delete leaves the backup listed as it was. */
export async function undoDeleteBackup(ctx: JobContext): Promise<void> {
  await ctx.db.backup.updateMany({ where: { id: String(ctx.payload.backupId ?? ""), state: "DELETING" }, data: { state: "OK" } });
}
