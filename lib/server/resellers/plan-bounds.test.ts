/** The per-server bounds of a reseller's plans, as pure rules. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { AppError } from "@/lib/errors";
import { updatePlanInput } from "@/lib/server/plans/plan-schemas";
import { boundProblem, checkPlanBounds, omittedBoundValues, planBoundFields, type PlanBounds } from "./plan-bounds";

const bounds: PlanBounds = {
  planCpuWeightMax: 100, planSwapMbMax: 1024, planPidsMax: 4096, planInodesMax: 1_000_000, planIoReadBpsMax: 1000, planIoWriteBpsMax: 1000,
  planIoReadIopsMax: 50, planIoWriteIopsMax: 50, planNetRateMbitMax: 100, planTrafficGbMax: 0, planBackupSlotsMax: 5, planBackupKeepMax: 14,
};

function refused(fn: () => void, field: string, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => e instanceof AppError && e.code === "QUOTA_EXCEEDED" && e.field === field && pattern.test(e.message));
}

test("a value above its bound is refused naming the field; at the bound it fits", () => {
  refused(() => checkPlanBounds({ swapMb: 0, swapMbMax: 1025 }, bounds), "swapMbMax", /at most 1024/);
  refused(() => checkPlanBounds({ cpuWeight: 10_000 }, bounds), "cpuWeight", /at most 100/);
  refused(() => checkPlanBounds({ pids: 5000 }, bounds), "pids", /at most 4096/);
  checkPlanBounds({ swapMb: 1024, swapMbMax: 1024, cpuWeight: 100, pids: 4096, pidsMax: 4096 }, bounds);
});

test("0 (unlimited) is refused where the admin's bound is not 0, and allowed where it is", () => {
  refused(() => checkPlanBounds({ ioReadBps: 0 }, bounds), "ioReadBps", /unlimited \(0\) is not allowed/);
  refused(() => checkPlanBounds({ inodes: 0 }, bounds), "inodes", /at most 1000000/);
  checkPlanBounds({ trafficGb: 0 }, bounds);
  checkPlanBounds({ trafficGb: 10_000_000 }, bounds);
  // Swap 0 is no swap, not unlimited: always within a bound.
  checkPlanBounds({ swapMb: 0, swapMbMax: 0 }, { ...bounds, planSwapMbMax: 0 });
  assert.equal(boundProblem(0, 0, false), null);
  assert.equal(boundProblem(1, 0, false), "your provider allows at most 0");
});

test("on a change, values that stay as they were are not judged", () => {
  const before = { swapMb: 8192, ioReadBps: 0, cpuWeight: 500 };
  checkPlanBounds({ swapMb: 8192, ioReadBps: 0, cpuWeight: 500, pids: 100 }, bounds, before);
  refused(() => checkPlanBounds({ swapMb: 9000, ioReadBps: 0 }, bounds, before), "swapMb", /at most 1024/);
  refused(() => checkPlanBounds({ cpuWeight: 400 }, bounds, before), "cpuWeight", /at most 100/);
});

test("left-out unlimited-capable fields take the bound, or 0 where unlimited is allowed", () => {
  assert.deepEqual(omittedBoundValues({ inodes: 5, netRateMbit: undefined }, bounds), {
    ioReadBps: 1000, ioWriteBps: 1000, ioReadIops: 50, ioWriteIops: 50, netRateMbit: 100, trafficGb: 0,
  });
});

test("every plan field that reaches a host or the bill is bounded here or by the quota's totals", () => {
  const bounded = new Set(planBoundFields.flatMap((b) => b.fields));
  // Addresses added later (up to ipv4Max/ipv6Max) count against the quota's address totals.
  const byTotals = ["cpuMilli", "cpuMilliMax", "memoryMb", "memoryMbMax", "diskMb", "diskMbMax", "ipv4Count", "ipv6Count", "ipv4Max", "ipv6Max"];
  // What happens past the monthly transfer is the seller's business; the throttle's rate
  // can only lower the server's own (bounded) rate: see throttle-rate.ts.
  const commercial = ["name", "priceCents", "currency", "customerSelectable", "overQuotaPolicy"];
  const lowersOnly = ["overQuotaMbit"];
  // When scheduled backups run costs nothing more; how many are kept is bounded above.
  const schedule = ["backupSchedule", "backupTime", "backupWeekday"];
  // The plan input's fields, from the schema itself: a new field must be placed here.
  const fields = Object.keys(updatePlanInput.shape).filter((f) => f !== "archived");
  assert.deepEqual(fields.filter((f) => !bounded.has(f) && !byTotals.includes(f) && !commercial.includes(f) && !lowersOnly.includes(f) && !schedule.includes(f)), []);
});
