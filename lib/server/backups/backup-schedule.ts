/**
 * When a plan's scheduled backups are due: daily at `backupTime` (UTC) or weekly on
 * `backupWeekday` at that time. A missed slot (the panel was down) is made up later, but
 * only within a catch-up window, so a panel that was off for a week makes one backup,
 * not seven.
 */

/** The schedule fields of a plan. */
export interface BackupSchedule {
  backupSchedule: string;
  backupTime: string;
  backupWeekday: number;
}

/** The latest slot at or before `now`, or null when the plan schedules none. */
export function lastScheduledSlot(plan: BackupSchedule, now: Date): Date | null {
  if (plan.backupSchedule !== "DAILY" && plan.backupSchedule !== "WEEKLY") return null;
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(plan.backupTime);
  if (!m) return null;
  const slot = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), Number(m[1]), Number(m[2])));
  if (plan.backupSchedule === "DAILY") {
    if (slot > now) slot.setUTCDate(slot.getUTCDate() - 1);
    return slot;
  }
  let back = (slot.getUTCDay() - plan.backupWeekday + 7) % 7;
  if (back === 0 && slot > now) back = 7;
  slot.setUTCDate(slot.getUTCDate() - back);
  return slot;
}

/** How late a missed slot is still made up. */
export const catchUpMs = 6 * 60 * 60 * 1000;

/** Whether a scheduled backup is due now, given when the last scheduled one was started. */
export function scheduledBackupDue(plan: BackupSchedule, lastStartedAt: Date | null, now: Date): boolean {
  const slot = lastScheduledSlot(plan, now);
  if (!slot || now.getTime() - slot.getTime() > catchUpMs) return false;
  return !lastStartedAt || lastStartedAt < slot;
}
