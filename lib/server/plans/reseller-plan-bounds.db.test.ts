/**
 * A reseller's plans against the per-server bounds its admin set, on a real database:
 * each bounded field beyond its bound is refused with the field named and nothing is
 * made; unlimited (0) only where the admin allows it; left-out fields take the bound;
 * the admin's house plans are not bounded; changes are judged on what changes; the
 * admin sets the bounds through the quota (validated, audited, partial updates keep the
 * rest); archiving a plan keeps its values.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { createDb, type Db } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { databaseTarget } from "@/lib/db/url";
import { AppError } from "@/lib/errors";
import type { Actor } from "@/lib/server/actor";
import { setResellerQuota } from "@/lib/server/resellers/set-reseller-quota";
import { planBoundFields } from "@/lib/server/resellers/plan-bounds";
import { createPlan } from "./create-plan";
import { updatePlan } from "./update-plan";

let db: Db;
let admin: Actor;

const base = { cpuMilli: 500, cpuMilliMax: 1000, memoryMb: 256, memoryMbMax: 512, diskMb: 1024, diskMbMax: 2048, pids: 100, pidsMax: 200 };

before(async () => {
  await migrate(databaseTarget());
  db = createDb();
  const a = await db.user.create({ data: { email: `admin-${crypto.randomBytes(3).toString("hex")}@bounds.test`, role: "ADMIN", passwordHash: "x" } });
  admin = { userId: a.id, role: "ADMIN", via: "session", ip: null, userAgent: "bounds-test" };
});
after(async () => {
  await db?.$disconnect();
});

async function reseller(bounds: Record<string, number> = {}) {
  const r = await db.user.create({ data: { email: `r-${crypto.randomBytes(4).toString("hex")}@bounds.test`, role: "RESELLER", passwordHash: "x" } });
  await setResellerQuota(db, admin, r.id, { maxServers: 10, maxCpuMilli: 10_000, maxMemoryMb: 10_000, maxDiskMb: 100_000, maxIpv4: 10, maxIpv6: 10, ...bounds });
  const actor: Actor = { userId: r.id, role: "RESELLER", via: "token", ip: null, userAgent: "bounds-test" };
  return actor;
}

async function rejects(p: Promise<unknown>, code: string, field: string, pattern?: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof AppError, String(e));
    assert.equal(e.code, code, e.message);
    assert.equal(e.field, field, e.message);
    if (pattern) assert.match(e.message, pattern);
    return true;
  });
}

let n = 0;
const name = () => `Plan ${++n}`;

test("each bounded field of a reseller's plan beyond the admin's bound is refused by name, and nothing is made", async () => {
  const r = await reseller({ planCpuWeightMax: 200, planSwapMbMax: 512, planPidsMax: 300, planInodesMax: 50_000, planIoReadBpsMax: 1_000_000, planIoWriteBpsMax: 1_000_000, planIoReadIopsMax: 100, planIoWriteIopsMax: 100, planNetRateMbitMax: 100, planTrafficGbMax: 500 });
  const beyond: [string, Record<string, number>][] = [
    ["cpuWeight", { cpuWeight: 201 }],
    ["swapMbMax", { swapMb: 0, swapMbMax: 10_000_000 }],
    ["swapMb", { swapMb: 513, swapMbMax: 513 }],
    ["pidsMax", { pidsMax: 301 }],
    ["inodes", { inodes: 50_001 }],
    ["ioReadBps", { ioReadBps: 1_000_001 }],
    ["ioWriteBps", { ioWriteBps: 2_000_000_000 }],
    ["ioReadIops", { ioReadIops: 101 }],
    ["ioWriteIops", { ioWriteIops: 10_000 }],
    ["netRateMbit", { netRateMbit: 101 }],
    ["trafficGb", { trafficGb: 501 }],
    ["backupSlots", { backupSlots: 11 }],
    ["keepDaily", { keepDaily: 31 }],
    ["keepWeekly", { keepWeekly: 31 }],
    ["keepMonthly", { keepMonthly: 31 }],
  ];
  for (const [field, values] of beyond) {
    await rejects(createPlan(db, r, { name: `Too much ${field}`, ...base, ...values }), "QUOTA_EXCEEDED", field, /your provider allows at most/);
  }
  assert.equal(await db.plan.count({ where: { ownerId: r.userId } }), 0);
  // Every bounded plan field was tried.
  assert.deepEqual(new Set(beyond.map(([f]) => f)), new Set(planBoundFields.flatMap((b) => b.fields).filter((f) => f !== "pids")));
  await rejects(createPlan(db, r, { name: "Pids", ...base, pids: 301, pidsMax: 400 }), "QUOTA_EXCEEDED", "pids");
});

test("unlimited (0) only where the admin allows it; left-out fields take the bound", async () => {
  const r = await reseller({ planNetRateMbitMax: 0 });
  for (const field of ["inodes", "ioReadBps", "ioWriteBps", "ioReadIops", "ioWriteIops", "trafficGb"]) {
    await rejects(createPlan(db, r, { name: name(), ...base, [field]: 0 }), "QUOTA_EXCEEDED", field, /unlimited \(0\) is not allowed/);
  }
  const plan = await createPlan(db, r, { name: name(), ...base, netRateMbit: 0 });
  const quota = await db.resellerQuota.findUniqueOrThrow({ where: { resellerId: r.userId } });
  assert.equal(plan.netRateMbit, 0, "the admin allows unlimited network rate");
  assert.equal(plan.inodes, quota.planInodesMax);
  assert.equal(plan.ioWriteIops, quota.planIoWriteIopsMax);
  assert.equal(plan.trafficGb, quota.planTrafficGbMax);
  // Left out where unlimited is allowed: unlimited.
  assert.equal((await createPlan(db, r, { name: name(), ...base })).netRateMbit, 0);
});

test("the admin's house plans are the admin's own decision: not bounded", async () => {
  const plan = await createPlan(db, admin, { name: name(), ...base, cpuWeight: 10_000, swapMb: 0, swapMbMax: 1_000_000, ioReadBps: 0 });
  assert.equal(plan.cpuWeight, 10_000);
  assert.equal(plan.ioReadBps, 0);
  assert.equal(plan.inodes, 0, "left out on a house plan: unlimited");
});

test("a reseller without a quota has no plans of its own", async () => {
  const r = await db.user.create({ data: { email: `noquota-${crypto.randomBytes(3).toString("hex")}@bounds.test`, role: "RESELLER", passwordHash: "x" } });
  await assert.rejects(createPlan(db, { userId: r.id, role: "RESELLER", via: "token", ip: null, userAgent: "t" }, { name: name(), ...base }), (e: unknown) => e instanceof AppError && e.code === "QUOTA_EXCEEDED");
});

test("changes are judged on what changes; archiving keeps every value", async () => {
  const r = await reseller();
  const plan = await createPlan(db, r, { name: name(), ...base, swapMb: 0, swapMbMax: 1024, netRateMbit: 50 });
  await rejects(updatePlan(db, r, plan.id, { swapMbMax: 4096 }), "QUOTA_EXCEEDED", "swapMbMax");
  await rejects(updatePlan(db, r, plan.id, { netRateMbit: 0 }), "QUOTA_EXCEEDED", "netRateMbit");
  // The admin lowers the bound below the plan: the plan stays editable in other fields.
  await setResellerQuota(db, admin, r.userId, { maxServers: 10, maxCpuMilli: 10_000, maxMemoryMb: 10_000, maxDiskMb: 100_000, maxIpv4: 10, maxIpv6: 10, planSwapMbMax: 256 });
  const renamed = await updatePlan(db, r, plan.id, { name: `${plan.name} renamed`, priceCents: 990 });
  assert.equal(renamed.swapMbMax, 1024);
  const archived = await updatePlan(db, r, plan.id, { archived: true });
  const { updatedAt: _a, archived: _x, ...kept } = archived;
  const { updatedAt: _b, archived: _y, ...was } = renamed;
  assert.deepEqual(kept, was, "archiving changed nothing else");
});

test("the admin sets the bounds on the quota: validated by field, partial updates keep the rest, audited", async () => {
  const r = await reseller({ planPidsMax: 1000, planIoReadBpsMax: 0 });
  await rejects(setResellerQuota(db, admin, r.userId, { maxServers: 1, maxCpuMilli: 1, maxMemoryMb: 1, maxDiskMb: 1, maxIpv4: 0, maxIpv6: 0, planPidsMax: 8 }), "BAD_REQUEST", "planPidsMax");
  await rejects(setResellerQuota(db, admin, r.userId, { maxServers: 1, maxCpuMilli: 1, maxMemoryMb: 1, maxDiskMb: 1, maxIpv4: 0, maxIpv6: 0, planSwapMbMax: -1 }), "BAD_REQUEST", "planSwapMbMax");
  await assert.rejects(setResellerQuota(db, r, r.userId, { maxServers: 1, maxCpuMilli: 1, maxMemoryMb: 1, maxDiskMb: 1, maxIpv4: 0, maxIpv6: 0 }), (e: unknown) => e instanceof AppError && e.code === "FORBIDDEN");
  await setResellerQuota(db, admin, r.userId, { maxServers: 1, maxCpuMilli: 1, maxMemoryMb: 1, maxDiskMb: 1, maxIpv4: 0, maxIpv6: 0, planSwapMbMax: 64 });
  const q = await db.resellerQuota.findUniqueOrThrow({ where: { resellerId: r.userId } });
  assert.deepEqual([q.planPidsMax, q.planIoReadBpsMax, q.planSwapMbMax], [1000, 0, 64]);
  const entry = await db.auditLog.findFirstOrThrow({ where: { action: "reseller.set-quota", targetId: r.userId }, orderBy: { at: "desc" } });
  assert.equal(JSON.parse(entry.details).planSwapMbMax, 64);
});
