/** When scheduled backups are due (daily or weekly at a UTC time, with a bounded catch-up). */
import { test } from "node:test";
import assert from "node:assert/strict";
import { lastScheduledSlot, scheduledBackupDue } from "./backup-schedule";

const utc = (iso: string) => new Date(iso);

test("the daily slot is today's time once passed, else yesterday's", () => {
  const plan = { backupSchedule: "DAILY", backupTime: "03:30", backupWeekday: 0 };
  assert.equal(lastScheduledSlot(plan, utc("2026-12-07T04:00Z"))?.toISOString(), "2026-12-07T03:30:00.000Z");
  assert.equal(lastScheduledSlot(plan, utc("2026-12-07T03:29Z"))?.toISOString(), "2026-12-06T03:30:00.000Z");
});

test("the weekly slot is the last given weekday at the time", () => {
  // 2026-12-07 is a Monday; weekday 3 = Wednesday.
  const plan = { backupSchedule: "WEEKLY", backupTime: "02:00", backupWeekday: 3 };
  assert.equal(lastScheduledSlot(plan, utc("2026-12-07T12:00Z"))?.toISOString(), "2026-12-02T02:00:00.000Z");
  assert.equal(lastScheduledSlot({ ...plan, backupWeekday: 1 }, utc("2026-12-07T01:00Z"))?.toISOString(), "2026-11-30T02:00:00.000Z");
  assert.equal(lastScheduledSlot({ ...plan, backupWeekday: 1 }, utc("2026-12-07T02:00Z"))?.toISOString(), "2026-12-07T02:00:00.000Z");
});

test("a backup is due once per slot, only within the catch-up window, never without a schedule", () => {
  const plan = { backupSchedule: "DAILY", backupTime: "03:00", backupWeekday: 0 };
  assert.equal(scheduledBackupDue(plan, null, utc("2026-12-07T03:01Z")), true);
  assert.equal(scheduledBackupDue(plan, utc("2026-12-07T03:01Z"), utc("2026-12-07T04:00Z")), false);
  assert.equal(scheduledBackupDue(plan, utc("2026-12-06T03:01Z"), utc("2026-12-07T03:05Z")), true);
  assert.equal(scheduledBackupDue(plan, null, utc("2026-12-07T10:00Z")), false, "7 hours late: wait for the next slot");
  assert.equal(scheduledBackupDue({ ...plan, backupSchedule: "NONE" }, null, utc("2026-12-07T03:01Z")), false);
});
