/**
 * Traffic accounting against a real database, with a stand-in for the host's agent (its
 * answers are what the root test proves the real agent gives): the agent's totals are
 * added to the billing month by difference; 80 % and 100 % of the plan's transfer are
 * one event each; past 100 % the THROTTLE policy lowers the row's and the host's rate
 * once and the next billing month restores it; totals that go down (the server moved,
 * or a host lost its ledger) count as new; the SUSPEND policy queues the suspend job;
 * a disk at 90 % is one event until it falls below 85 %.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import type { AgentClient } from "@/lib/agent-client";
import { createDb, type Db } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { databaseTarget } from "@/lib/db/url";
import { hostCredentialPurpose, panelSecret } from "@/lib/env";
import { seal } from "@/lib/security/secret-box";
import { accountHostUsage } from "./account-host-usage";
import { periodStart } from "./billing-month";
import { readHostHistory } from "./read-host-history";
import { readServerHistory, readServerSample } from "./read-server-history";
import { readServerTraffic } from "./read-server-traffic";

process.env.NEXTAUTH_SECRET ??= "traffic-test-secret-of-enough-length-0123456789";

let db: Db;
let hostId = "";
const tag = crypto.randomBytes(3).toString("hex");
const GB = 1_000_000_000;
const totals = new Map<string, { rxBytes: number; txBytes: number }>();
const disks = new Map<string, number>();
const limitCalls: { name: string; netRate: number | null | undefined }[] = [];
let clock = Date.UTC(2026, 5, 10);

const agent = {
  getTrafficTotals: async () => ({ totals: [...totals].map(([name, t]) => ({ name, ...t, updatedAt: new Date().toISOString() })) }),
  getUsageSamples: async () => ({ interval: 10, host: null, servers: [...disks].map(([name, d]) => ({ name, at: 0, values: { diskBytes: d } })) }),
  setLimits: async (input: { name: string; limits: { netRate?: number | null } }) => {
    limitCalls.push({ name: input.name, netRate: input.limits.netRate });
    return {} as never;
  },
} as unknown as AgentClient;

async function pass(): Promise<void> {
  clock += 120_000;
  await accountHostUsage(db, hostId, agent, clock);
}

async function makeServer(policy: "THROTTLE" | "SUSPEND", n: number) {
  const owner = await db.user.create({ data: { email: `t${n}-${tag}@traffic.test`, role: "CUSTOMER", passwordHash: "x" } });
  const plan = await db.plan.create({ data: { name: `Traffic ${n} ${tag}`, cpuMilli: 100, cpuMilliMax: 100, memoryMb: 64, memoryMbMax: 64, diskMb: 100, diskMbMax: 100, pids: 32, pidsMax: 32, netRateMbit: 100, trafficGb: 10, overQuotaPolicy: policy, overQuotaMbit: 2 } });
  return db.vServer.create({ data: { name: `tr${n}${tag}`, contextId: 5000 + n, hostname: "t.test", hostId, ownerId: owner.id, planId: plan.id, cpuMilli: 100, memoryMb: 64, diskMb: 100, pids: 32, netRateMbit: 100, state: "RUNNING" } });
}

before(async () => {
  await migrate(databaseTarget());
  db = createDb();
  await db.setting.deleteMany({ where: { key: "billing.startDay" } });
  await db.setting.create({ data: { key: "billing.startDay", value: "5" } });
  hostId = (await db.host.create({ data: { name: `tr-${tag}`, endpoint: "unix:/nonexistent", credentialHash: "x", credentialCiphertext: seal(panelSecret(), hostCredentialPurpose, "x") } })).id;
});

after(async () => {
  await db.$disconnect();
});

describe("traffic accounting", () => {
  test("billing months start on the admin's day", () => {
    assert.equal(periodStart(new Date(Date.UTC(2026, 5, 10)), 5).toISOString(), "2026-06-05T00:00:00.000Z");
    assert.equal(periodStart(new Date(Date.UTC(2026, 5, 4, 23)), 5).toISOString(), "2026-05-05T00:00:00.000Z");
    assert.equal(periodStart(new Date(Date.UTC(2026, 0, 2)), 5).toISOString(), "2025-12-05T00:00:00.000Z");
  });

  test("totals add up by difference; 80 % and 100 % are one event each; THROTTLE once, restored next month", async () => {
    const s = await makeServer("THROTTLE", 1);
    totals.set(s.name, { rxBytes: 3 * GB, txBytes: 1 * GB });
    await pass();
    totals.set(s.name, { rxBytes: 6 * GB, txBytes: 2.5 * GB });
    await pass();
    await pass();
    const actor = { userId: s.ownerId, role: "CUSTOMER" as const };
    let t = await readServerTraffic(db, actor, s.id, new Date(clock));
    assert.equal(t.current.rxBytes, 6 * GB);
    assert.equal(t.current.totalBytes, 8.5 * GB);
    assert.equal(await db.event.count({ where: { vserverId: s.id, type: "traffic.warning" } }), 1);
    assert.equal(await db.event.count({ where: { vserverId: s.id, type: "traffic.exceeded" } }), 0);
    totals.set(s.name, { rxBytes: 8 * GB, txBytes: 3 * GB });
    await pass();
    await pass();
    assert.equal(await db.event.count({ where: { vserverId: s.id, type: "traffic.exceeded" } }), 1);
    assert.equal((await db.vServer.findUniqueOrThrow({ where: { id: s.id } })).netRateMbit, 2);
    assert.deepEqual(limitCalls.filter((c) => c.name === s.name), [{ name: s.name, netRate: 2_000_000 }], "throttled on the host once");
    // The host's ledger went back (a new host after a move): its totals are new traffic.
    totals.set(s.name, { rxBytes: 1 * GB, txBytes: 0 });
    await pass();
    t = await readServerTraffic(db, actor, s.id, new Date(clock));
    assert.equal(t.current.totalBytes, 12 * GB);
    // The next billing month: counting starts at zero and the rate comes back.
    clock = Date.UTC(2026, 6, 5, 0, 1);
    totals.set(s.name, { rxBytes: 1.5 * GB, txBytes: 0 });
    await pass();
    t = await readServerTraffic(db, actor, s.id, new Date(clock));
    assert.equal(t.current.periodStart, "2026-07-05T00:00:00.000Z");
    assert.equal(t.current.totalBytes, 0.5 * GB);
    assert.equal(t.months.length, 2);
    assert.equal((await db.vServer.findUniqueOrThrow({ where: { id: s.id } })).netRateMbit, 100);
    assert.deepEqual(limitCalls.filter((c) => c.name === s.name).at(-1), { name: s.name, netRate: 100_000_000 });
    await assert.rejects(readServerTraffic(db, { userId: crypto.randomUUID(), role: "CUSTOMER" }, s.id), /not found/i);
    // The graphs' loaders refuse before any agent is asked: another customer, a reseller
    // that is not the owner's, and anyone but admins and support for a host.
    await assert.rejects(readServerHistory(db, { userId: crypto.randomUUID(), role: "CUSTOMER" }, s.id, { from: 0, to: 1 }), /not found/i);
    await assert.rejects(readServerSample(db, { userId: crypto.randomUUID(), role: "RESELLER" }, s.id), /not found/i);
    for (const role of ["CUSTOMER", "RESELLER"] as const) await assert.rejects(readHostHistory(db, { role }, hostId, { from: 0, to: 1 }), /not found/i);
  });

  test("SUSPEND queues the suspend job with its reason; a full disk is one event until it frees up", async () => {
    const s = await makeServer("SUSPEND", 2);
    totals.set(s.name, { rxBytes: 11 * GB, txBytes: 0 });
    disks.set(s.name, 95 * 1024 * 1024);
    await pass();
    await pass();
    const row = await db.vServer.findUniqueOrThrow({ where: { id: s.id } });
    assert.equal(row.suspended, true);
    assert.equal(row.suspendReason, "monthly traffic used up");
    assert.equal(await db.job.count({ where: { vserverId: s.id, type: "server.suspend", state: "QUEUED" } }), 1);
    assert.equal(await db.event.count({ where: { vserverId: s.id, type: "server.disk_full" } }), 1);
    disks.set(s.name, 50 * 1024 * 1024);
    await pass();
    disks.set(s.name, 92 * 1024 * 1024);
    await pass();
    assert.equal(await db.event.count({ where: { vserverId: s.id, type: "server.disk_full" } }), 2);
  });
});
