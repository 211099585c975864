/**
 * One pass of the backup schedule (issue 14): scheduled backups that are due (the job
 * applies the retention after each), backups of terminated servers past the grace
 * period pruned, and a `restic check` of each target on each host that uses it once a
 * week (a failure is an event). Runs in one panel instance at a time (schedule-lease).
 */
import type { Db } from "@/lib/db/client";
import { createJob } from "@/lib/server/jobs/create-job";
import { scheduledBackupDue } from "./backup-schedule";
import { markOrphanedBackups, pruneOrphanedBackups } from "./prune-orphaned-backups";
import { startBackup } from "./start-backup";

/** How often each target's repository is checked. */
export const checkEveryMs = 7 * 24 * 60 * 60 * 1000;

/** What one pass did. */
export interface SchedulePass {
  started: string[];
  skipped: { serverId: string; why: string }[];
  pruned: number;
  checks: string[];
  errors: string[];
}

async function dueBackups(db: Db, now: Date, pass: SchedulePass): Promise<void> {
  const servers = await db.vServer.findMany({
    where: { suspended: false, state: { in: ["RUNNING", "STOPPED"] }, plan: { backupSchedule: { in: ["DAILY", "WEEKLY"] } } },
    select: { id: true, name: true, ownerId: true, hostId: true, planId: true, buildMethod: true, distribution: true, plan: { select: { backupSchedule: true, backupTime: true, backupWeekday: true } } },
  });
  for (const s of servers) {
    const last = await db.backup.findFirst({ where: { vserverId: s.id, scheduled: true }, orderBy: { createdAt: "desc" }, select: { createdAt: true } });
    if (!scheduledBackupDue(s.plan!, last?.createdAt ?? null, now)) continue;
    // One job per server at a time: a busy server gets its backup on a later pass.
    if (await db.job.count({ where: { vserverId: s.id, state: { in: ["QUEUED", "RUNNING"] } } })) {
      pass.skipped.push({ serverId: s.id, why: "another job is running" });
      continue;
    }
    try {
      await startBackup(db, s, { scheduled: true, note: `scheduled ${s.plan!.backupSchedule.toLowerCase()}`, createdById: null });
      pass.started.push(s.id);
    } catch (error) {
      pass.errors.push(`${s.name}: ${(error as Error).message}`);
    }
  }
}

async function dueChecks(db: Db, now: Date, pass: SchedulePass): Promise<void> {
  const targets = await db.backupTarget.findMany({ where: { OR: [{ lastCheckAt: null }, { lastCheckAt: { lt: new Date(now.getTime() - checkEveryMs) } }] } });
  for (const t of targets) {
    // The hosts that write there: its own host, or (an all-hosts target) those with backups on it.
    const hostIds = t.hostId ? [t.hostId] : (await db.backup.findMany({ where: { targetId: t.id }, distinct: ["hostId"], select: { hostId: true } })).map((b) => b.hostId);
    const claimed = await db.backupTarget.updateMany({ where: { id: t.id, lastCheckAt: t.lastCheckAt }, data: { lastCheckAt: now } });
    if (claimed.count !== 1) continue;
    for (const hostId of hostIds) {
      pass.checks.push(await createJob(db, { type: "backup.check", hostId, payload: { targetId: t.id } }));
    }
  }
}

/** Runs one pass at `now`. */
export async function runBackupSchedule(db: Db, now = new Date()): Promise<SchedulePass> {
  const pass: SchedulePass = { started: [], skipped: [], pruned: 0, checks: [], errors: [] };
  await dueBackups(db, now, pass);
  await markOrphanedBackups(db, now);
  const pruned = await pruneOrphanedBackups(db, now);
  pass.pruned = pruned.removed;
  pass.errors.push(...pruned.errors);
  await dueChecks(db, now, pass);
  return pass;
}
