/** The retention rules of scheduled backups (restic's keep-daily/weekly/monthly, computed by the panel). */
import { test } from "node:test";
import assert from "node:assert/strict";
import { backupsToForget } from "./retention";

const at = (iso: string, id = iso) => ({ id, at: new Date(iso) });

test("keep-daily keeps the newest backup of each of the newest N days that have backups", () => {
  const b = [at("2026-12-07T03:00Z"), at("2026-12-07T01:00Z"), at("2026-12-05T03:00Z"), at("2026-12-04T03:00Z")];
  assert.deepEqual(backupsToForget(b, { keepDaily: 2, keepWeekly: 0, keepMonthly: 0 }).sort(), ["2026-12-04T03:00Z", "2026-12-07T01:00Z"]);
});

test("a backup kept by any rule stays: weekly and monthly keep older ones the daily rule drops", () => {
  // 2026-12-07 is a Monday (ISO week 50); 2026-12-06 a Sunday (week 49); November for the monthly one.
  const b = [at("2026-12-07T03:00Z"), at("2026-12-06T03:00Z"), at("2026-12-05T03:00Z"), at("2026-11-20T03:00Z"), at("2026-11-10T03:00Z")];
  const forget = backupsToForget(b, { keepDaily: 1, keepWeekly: 2, keepMonthly: 2 });
  assert.deepEqual(forget.sort(), ["2026-11-10T03:00Z", "2026-12-05T03:00Z"]);
});

test("all counts 0 forget every scheduled backup; an empty list forgets nothing", () => {
  assert.deepEqual(backupsToForget([at("2026-12-07T03:00Z")], { keepDaily: 0, keepWeekly: 0, keepMonthly: 0 }), ["2026-12-07T03:00Z"]);
  assert.deepEqual(backupsToForget([], { keepDaily: 3, keepWeekly: 3, keepMonthly: 3 }), []);
});
