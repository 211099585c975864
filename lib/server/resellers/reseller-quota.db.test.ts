/**
 * Reseller quotas under concurrent requests, on a real database (the runner gives each
 * file a fresh SQLite file and a fresh PostgreSQL database): parallel creates against a
 * quota of one server make exactly one, in one panel and from two panel instances
 * (separate processes, lib/testing/run-panel-instances.ts); parallel slider raises that
 * each fit alone but not together end with exactly one applied; a reseller's servers
 * stay within the per-server bounds; the quota lock waits for a live holder and takes
 * over from a dead one.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { createDb, type Db } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { databaseTarget } from "@/lib/db/url";
import { AppError } from "@/lib/errors";
import type { Actor } from "@/lib/server/actor";
import { startFakeAgent, type FakeAgent } from "@/lib/auth/testing/fake-agent";
import { createFakeAgentHost } from "@/lib/auth/testing/fake-agent-host";
import { runPanelCall, type CallResult, type PanelCall } from "@/lib/testing/panel-calls";
import { runPanelInstances } from "@/lib/testing/run-panel-instances";
import { createServer } from "@/lib/server/vservers/provision/create-server";
import { setServerLimits, type SliderChangeResult } from "@/lib/server/vservers/set-server-limits";

/** The limits after a slider change that was applied at once (not queued as a job). */
async function appliedNow(change: Promise<SliderChangeResult>) {
  const r = await change;
  if (r.applied !== "now") throw new Error("the change was queued as a job");
  return r.limits;
}
import { takeQuotaLock } from "./reseller-quota-lock";

process.env.NEXTAUTH_SECRET ??= "reseller-quota-test-secret-of-enough-length-0123456789";

let db: Db;
let agent: FakeAgent;
let hostId: string;
let ctx = 30_000;

/** A plan inside the default per-server bounds (nothing unlimited). */
const boundedPlan = {
  cpuMilli: 100, cpuMilliMax: 1000, memoryMb: 128, memoryMbMax: 1024, swapMb: 0, swapMbMax: 0, diskMb: 64, diskMbMax: 1024,
  pids: 64, pidsMax: 256, inodes: 10_000, ioReadBps: 10_000_000, ioWriteBps: 10_000_000, ioReadIops: 100, ioWriteIops: 100, netRateMbit: 100, trafficGb: 100,
};

before(async () => {
  await migrate(databaseTarget());
  db = createDb();
  agent = await startFakeAgent();
  hostId = await createFakeAgentHost(db, agent, `quota-host-${crypto.randomBytes(3).toString("hex")}`);
  const octet = crypto.randomInt(200);
  await db.ipPool.create({ data: { name: `quota-${octet}-${Date.now()}`, family: "IPV4", cidr: `100.66.${octet}.0/24`, assignPrefix: 32, hosts: { create: [{ hostId }] } } });
});
after(async () => {
  await agent?.close();
  await db?.$disconnect();
});

/** A reseller with a quota, one customer and its own plan. */
async function reseller(quota: Partial<Record<string, number>>, plan: typeof boundedPlan & { ipv4Count: number } = { ...boundedPlan, ipv4Count: 1 }) {
  const tag = crypto.randomBytes(4).toString("hex");
  const r = await db.user.create({ data: { email: `r-${tag}@quota.test`, role: "RESELLER", passwordHash: "x" } });
  await db.resellerQuota.create({ data: { resellerId: r.id, maxServers: 100, maxCpuMilli: 100_000, maxMemoryMb: 100_000, maxDiskMb: 100_000, maxIpv4: 100, maxIpv6: 100, ...quota } });
  const c = await db.user.create({ data: { email: `c-${tag}@quota.test`, role: "CUSTOMER", passwordHash: "x", resellerId: r.id } });
  const p = await db.plan.create({ data: { name: `P ${tag}`, ownerId: r.id, ...plan } });
  const actor: Actor = { userId: r.id, role: "RESELLER", via: "token", ip: null, userAgent: "quota-test" };
  return { resellerId: r.id, customerId: c.id, planId: p.id, actor, tag };
}

const createCall = (f: Awaited<ReturnType<typeof reseller>>, i: number): PanelCall => ({
  op: "createServer",
  actor: f.actor,
  input: { customerId: f.customerId, planId: f.planId, hostname: `s${i}-${f.tag}.quota.test`, method: "skeleton", start: false },
});

function tally(results: CallResult[]) {
  const ok = results.filter((r) => r.ok);
  const refused = results.filter((r): r is Extract<CallResult, { ok: false }> => !r.ok);
  return { ok, refused, unexpected: refused.filter((r) => r.code !== "QUOTA_EXCEEDED") };
}

async function rejects(p: Promise<unknown>, code: string, field?: string): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof AppError, String(e));
    assert.equal(e.code, code, e.message);
    if (field) assert.equal(e.field, field, e.message);
    return true;
  });
}

test("6 parallel creates in one panel against a quota of 1 server make exactly 1", async () => {
  const f = await reseller({ maxServers: 1 });
  const { ok, refused, unexpected } = tally(await Promise.all(Array.from({ length: 6 }, (_, i) => runPanelCall(db, createCall(f, i)))));
  assert.deepEqual(unexpected, []);
  assert.equal(ok.length, 1, JSON.stringify(refused));
  assert.ok(refused.every((r) => r.field === "servers"), JSON.stringify(refused));
  assert.equal(await db.vServer.count({ where: { ownerId: f.customerId } }), 1);
  assert.equal(await db.ipAddress.count({ where: { vserver: { ownerId: f.customerId } } }), 1, "one server's address, none left behind");
  const q = await db.resellerQuota.findUniqueOrThrow({ where: { resellerId: f.resellerId } });
  assert.equal(q.lockHolder, null, "the lock is given back");
});

test("6 parallel creates from two panel instances against a quota of 1 server make exactly 1", async () => {
  const f = await reseller({ maxServers: 1 });
  const [a, b] = await runPanelInstances([[0, 1, 2].map((i) => createCall(f, i)), [3, 4, 5].map((i) => createCall(f, i))]);
  const { ok, refused, unexpected } = tally([...a!, ...b!]);
  assert.deepEqual(unexpected, []);
  assert.equal(ok.length, 1, JSON.stringify(refused));
  assert.equal(await db.vServer.count({ where: { ownerId: f.customerId } }), 1);
  assert.equal(await db.ipAddress.count({ where: { vserver: { ownerId: f.customerId } } }), 1);
});

test("parallel slider raises from two panel instances that each fit alone but not together: exactly one is applied", async () => {
  // Six servers of 128 MB under a 1024 MB quota: 768 used, room for one raise of 256.
  const f = await reseller({ maxMemoryMb: 6 * 128 + 256 }, { ...boundedPlan, ipv4Count: 0 });
  const ids: string[] = [];
  for (let i = 0; i < 6; i++) {
    const s = await db.vServer.create({
      data: { name: `slider-${f.tag}-${i}`, contextId: ++ctx, hostname: `sl${i}.quota.test`, hostId, ownerId: f.customerId, planId: f.planId, state: "RUNNING", cpuMilli: 100, memoryMb: 128, diskMb: 64, pids: 64 },
    });
    ids.push(s.id);
  }
  const raise = (id: string): PanelCall => ({ op: "setServerLimits", actor: f.actor, serverId: id, input: { memoryMb: 384 } });
  const [a, b] = await runPanelInstances([ids.slice(0, 3).map(raise), ids.slice(3).map(raise)]);
  const { ok, refused, unexpected } = tally([...a!, ...b!]);
  assert.deepEqual(unexpected, []);
  assert.equal(ok.length, 1, JSON.stringify(refused));
  assert.ok(refused.every((r) => r.field === "memoryMb"), JSON.stringify(refused));
  const sum = await db.vServer.aggregate({ where: { ownerId: f.customerId }, _sum: { memoryMb: true } });
  assert.equal(sum._sum.memoryMb, 1024);
});

test("a change is judged on what it adds: over a lowered quota, a server may shrink but not grow", async () => {
  const f = await reseller({ maxMemoryMb: 1000, maxIpv4: 0 }, { ...boundedPlan, ipv4Count: 0 });
  const s = await db.vServer.create({
    data: { name: `over-${f.tag}`, contextId: ++ctx, hostname: "ov.quota.test", hostId, ownerId: f.customerId, planId: f.planId, state: "RUNNING", cpuMilli: 100, memoryMb: 1024, diskMb: 64, pids: 64 },
  });
  // One address the quota no longer covers (the admin lowered it to 0).
  const pool = await db.ipPool.findFirstOrThrow({ where: { hosts: { some: { hostId } } } });
  await db.ipAddress.create({ data: { poolId: pool.id, family: "IPV4", address: `100.67.${crypto.randomInt(255)}.${crypto.randomInt(1, 255)}`, prefix: 32, vserverId: s.id } });
  assert.equal((await appliedNow(setServerLimits(db, f.actor, s.id, { memoryMb: 512 }))).memoryMb, 512, "shrinking is never refused");
  await rejects(setServerLimits(db, f.actor, s.id, { memoryMb: 1001 }), "QUOTA_EXCEEDED", "memoryMb");
  assert.equal((await appliedNow(setServerLimits(db, f.actor, s.id, { cpuMilli: 200 }))).cpuMilli, 200, "the address it keeps does not block other changes");
});

test("a suspended server's limits: its customer is refused, naming the suspension, and nothing changes; its reseller may change them", async () => {
  const f = await reseller({}, { ...boundedPlan, ipv4Count: 0 });
  const s = await db.vServer.create({
    data: { name: `susp-${f.tag}`, contextId: ++ctx, hostname: "su.quota.test", hostId, ownerId: f.customerId, planId: f.planId, state: "STOPPED", suspended: true, suspendReason: "unpaid", cpuMilli: 100, memoryMb: 128, diskMb: 64, pids: 64 },
  });
  const customer: Actor = { userId: f.customerId, role: "CUSTOMER", via: "session", ip: null, userAgent: "quota-test" };
  const refused = await setServerLimits(db, customer, s.id, { memoryMb: 256 }).then(
    () => null,
    (e: AppError) => e,
  );
  assert.equal(refused?.code, "CONFLICT");
  assert.match(refused?.message ?? "", /suspended; contact your provider/);
  assert.equal((await db.vServer.findUniqueOrThrow({ where: { id: s.id } })).memoryMb, 128, "nothing changed");
  assert.equal((await appliedNow(setServerLimits(db, f.actor, s.id, { memoryMb: 256 }))).memoryMb, 256);
});

test("a reseller's servers stay within the per-server bounds; an old server may change what is within them", async () => {
  const f = await reseller({ planSwapMbMax: 512 }, { ...boundedPlan, swapMb: 4096, swapMbMax: 10_000_000, ipv4Count: 0 });
  // A plan from before the bound (made straight in the database): provisioning from it is refused, nothing is made.
  await rejects(createServer(db, f.actor, { customerId: f.customerId, planId: f.planId, hostname: `b-${f.tag}.quota.test` }), "QUOTA_EXCEEDED", "swapMb");
  assert.equal(await db.vServer.count({ where: { ownerId: f.customerId } }), 0);
  // An old server with that swap: raising memory is fine, raising swap further is not, lowering it into the bound is.
  const s = await db.vServer.create({
    data: { name: `bound-${f.tag}`, contextId: ++ctx, hostname: `bd.quota.test`, hostId, ownerId: f.customerId, planId: f.planId, state: "RUNNING", cpuMilli: 100, memoryMb: 128, swapMb: 4096, diskMb: 64, pids: 64 },
  });
  assert.equal((await appliedNow(setServerLimits(db, f.actor, s.id, { memoryMb: 256 }))).memoryMb, 256);
  await rejects(setServerLimits(db, f.actor, s.id, { swapMb: 8192 }), "QUOTA_EXCEEDED", "swapMb");
  assert.equal((await appliedNow(setServerLimits(db, f.actor, s.id, { swapMb: 512 }))).swapMb, 512);
  // Unlimited IO from a plan is refused unless the admin allows it (bound 0).
  const g = await reseller({}, { ...boundedPlan, ioReadBps: 0, ipv4Count: 0 });
  await rejects(createServer(db, g.actor, { customerId: g.customerId, planId: g.planId, hostname: `u-${g.tag}.quota.test` }), "QUOTA_EXCEEDED", "ioReadBps");
  await db.resellerQuota.update({ where: { resellerId: g.resellerId }, data: { planIoReadBpsMax: 0 } });
  const made = await createServer(db, g.actor, { customerId: g.customerId, planId: g.planId, hostname: `u-${g.tag}.quota.test` });
  assert.equal((await db.vServer.findUniqueOrThrow({ where: { id: made.serverId } })).ioReadBps, 0);
});

test("the quota lock waits for a live holder, and takes over from one whose lease ran out", async () => {
  const f = await reseller({});
  const held = await takeQuotaLock(db, f.resellerId);
  await rejects(takeQuotaLock(db, f.resellerId, { waitMs: 200 }), "CONFLICT");
  // A create waits for the holder and goes through once it lets go.
  const waiting = createServer(db, f.actor, { customerId: f.customerId, planId: f.planId, hostname: `w-${f.tag}.quota.test` });
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(await db.vServer.count({ where: { ownerId: f.customerId } }), 0, "nothing is written while another holds the lock");
  assert.equal(await held.release(), true);
  await waiting;
  // A holder that died (its lease in the past) does not block anyone.
  await db.resellerQuota.update({ where: { resellerId: f.resellerId }, data: { lockHolder: "dead:1", lockedUntil: new Date(Date.now() - 1000) } });
  const next = await takeQuotaLock(db, f.resellerId, { waitMs: 200 });
  assert.equal(await next.release(), true);
  // A reseller without a quota gets the quota error, not a wait.
  const r = await db.user.create({ data: { email: `noquota-${f.tag}@quota.test`, role: "RESELLER", passwordHash: "x" } });
  await rejects(takeQuotaLock(db, r.id), "QUOTA_EXCEEDED");
});
