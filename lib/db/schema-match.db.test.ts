/**
 * Proves that the migrated database matches prisma/schema.prisma, on whichever
 * database DATABASE_URL names (the runner runs this file once on a fresh SQLite file
 * and once on a fresh PostgreSQL database):
 * 1. the project's migrate step applies every migration, and a second run applies none;
 * 2. Prisma's schema engine finds no difference between the live database and the schema
 *    (and does find one after the test alters a scratch copy, so the check can fail);
 * 3. create, read, update and delete work on every model through the generated client
 *    with the matching driver adapter, including relations, enums, uniques and BigInt.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { Prisma } from "@/generated/prisma/sqlite/client";
import { createDb, type Db } from "./client";
import { migrate } from "./migrate";
import { readMigrations } from "./migrations";
import { databaseTarget } from "./url";
import { noFilter, openEngine } from "@/scripts/db/schema-engine";
import { schemaFor } from "@/scripts/db/schemas";

const target = databaseTarget();
let db: Db;

before(async () => {
  db = createDb(target);
});
after(async () => {
  await db.$disconnect();
});

test(`${target.provider}: migrate applies every migration once`, async () => {
  const first = await migrate(target);
  assert.deepEqual(first.applied, readMigrations(target.provider).map((m) => m.name));
  const second = await migrate(target);
  assert.deepEqual(second.applied, []);
  assert.equal(second.alreadyApplied, first.applied.length);
});

test(`${target.provider}: the live database has no difference from schema.prisma`, async () => {
  const schema = schemaFor(target.provider);
  const engine = await openEngine(schema, target.url);
  const diff = await engine.diff({
    from: { tag: "schemaDatasource", files: [{ path: "schema.prisma", content: schema }], configDir: process.cwd() },
    to: { tag: "schemaDatamodel", files: [{ path: "schema.prisma", content: schema }] },
    script: true,
    exitCode: true,
    filters: noFilter,
  });
  assert.equal(diff.exitCode, 0, `schema drift:\n${diff.stdout}`);

  // The same check must notice a change: add a column, expect drift, remove it.
  await db.$executeRawUnsafe(`ALTER TABLE "Setting" ADD COLUMN "vstDrift" INTEGER`);
  try {
    const drifted = await engine.diff({
      from: { tag: "schemaDatasource", files: [{ path: "schema.prisma", content: schema }], configDir: process.cwd() },
      to: { tag: "schemaDatamodel", files: [{ path: "schema.prisma", content: schema }] },
      script: true,
      exitCode: true,
      filters: noFilter,
    });
    assert.equal(drifted.exitCode, 2);
    assert.match(drifted.stdout ?? "", /"Setting"/);
  } finally {
    await db.$executeRawUnsafe(`ALTER TABLE "Setting" DROP COLUMN "vstDrift"`);
  }
});

test(`${target.provider}: CRUD on every model`, async () => {
  const covered = new Set<string>();
  const mark = (model: Prisma.ModelName) => covered.add(model);

  const reseller = await db.user.create({ data: { email: "r@example.com", passwordHash: "x", role: "RESELLER" } });
  const customer = await db.user.create({ data: { email: "c@example.com", passwordHash: "x", role: "CUSTOMER", resellerId: reseller.id } });
  assert.equal((await db.user.findUniqueOrThrow({ where: { id: customer.id }, include: { reseller: true } })).reseller?.email, "r@example.com");
  await assert.rejects(db.user.create({ data: { email: "c@example.com", passwordHash: "y", role: "ADMIN" } }), /Unique constraint/);
  mark("User");

  const quota = await db.resellerQuota.create({ data: { resellerId: reseller.id, maxServers: 10, maxCpuMilli: 4000 } });
  await db.resellerQuota.update({ where: { id: quota.id }, data: { maxServers: 11 } });
  assert.equal((await db.resellerQuota.findUniqueOrThrow({ where: { resellerId: reseller.id } })).maxServers, 11);
  mark("ResellerQuota");

  const host = await db.host.create({ data: { name: "h1", endpoint: "unix:/run/vservers/agent.sock", credentialHash: "ab", credentialCiphertext: "v1.x" } });
  assert.equal(host.status, "UNKNOWN");
  mark("Host");

  const plan = await db.plan.create({
    data: { name: "S", ownerId: reseller.id, cpuMilli: 500, cpuMilliMax: 1000, memoryMb: 512, memoryMbMax: 1024, diskMb: 5000, diskMbMax: 10000, pids: 200, pidsMax: 400 },
  });
  mark("Plan");

  const server = await db.vServer.create({
    data: { name: "web1", contextId: 100, hostname: "web1.example.com", hostId: host.id, ownerId: customer.id, planId: plan.id, cpuMilli: 500, memoryMb: 512, diskMb: 5000, pids: 200 },
  });
  await assert.rejects(
    db.vServer.create({ data: { name: "web2", contextId: 100, hostname: "w", hostId: host.id, ownerId: customer.id, cpuMilli: 1, memoryMb: 1, diskMb: 1, pids: 1 } }),
    /Unique constraint/,
  );
  await db.vServer.update({ where: { id: server.id }, data: { state: "RUNNING", rescueUntil: new Date() } });
  mark("VServer");

  const pool = await db.ipPool.create({ data: { name: "v4", family: "IPV4", cidr: "192.0.2.0/24", gateway: "192.0.2.1", assignPrefix: 32 } });
  mark("IpPool");
  await db.ipPoolHost.create({ data: { poolId: pool.id, hostId: host.id } });
  assert.equal((await db.ipPoolHost.findMany({ where: { hostId: host.id } })).length, 1);
  mark("IpPoolHost");
  await db.ipAddress.create({ data: { poolId: pool.id, family: "IPV4", address: "192.0.2.10", prefix: 32, vserverId: server.id } });
  await assert.rejects(db.ipAddress.create({ data: { poolId: pool.id, family: "IPV4", address: "192.0.2.10", prefix: 32 } }), /Unique constraint/);
  mark("IpAddress");

  const job = await db.job.create({ data: { type: "build", vserverId: server.id, hostId: host.id, createdById: reseller.id } });
  await db.jobLogLine.createMany({ data: [1, 2, 3].map((seq) => ({ jobId: job.id, seq, text: `line ${seq}` })) });
  assert.deepEqual((await db.jobLogLine.findMany({ where: { jobId: job.id }, orderBy: { seq: "asc" } })).map((l) => l.text), ["line 1", "line 2", "line 3"]);
  await db.job.update({ where: { id: job.id }, data: { state: "SUCCEEDED", progress: 100 } });
  mark("Job");
  mark("JobLogLine");

  await db.auditLog.create({ data: { actorType: "USER", actorId: reseller.id, action: "vserver.start", targetType: "vserver", targetId: server.id } });
  mark("AuditLog");
  await db.apiToken.create({ data: { userId: reseller.id, name: "billing", prefix: "vsp_abc", tokenHash: "h1" } });
  mark("ApiToken");
  await db.loginThrottle.upsert({ where: { key: "email:x" }, create: { key: "email:x", failures: 1 }, update: { failures: { increment: 1 } } });
  await db.loginThrottle.upsert({ where: { key: "email:x" }, create: { key: "email:x", failures: 1 }, update: { failures: { increment: 1 } } });
  assert.equal((await db.loginThrottle.findUniqueOrThrow({ where: { key: "email:x" } })).failures, 2);
  mark("LoginThrottle");
  await db.consoleSession.create({ data: { vserverId: server.id, userId: customer.id, ip: "127.0.0.1" } });
  mark("ConsoleSession");
  await db.consoleGrant.create({ data: { vserverId: server.id, userId: customer.id, grantedById: reseller.id, expiresAt: new Date(Date.now() + 60_000) } });
  mark("ConsoleGrant");
  await db.recoveryCode.createMany({ data: [{ userId: customer.id, codeHash: "h1" }, { userId: customer.id, codeHash: "h2" }] });
  await assert.rejects(db.recoveryCode.create({ data: { userId: customer.id, codeHash: "h1" } }), /Unique constraint/);
  assert.equal((await db.recoveryCode.deleteMany({ where: { userId: customer.id, codeHash: "h2" } })).count, 1);
  mark("RecoveryCode");
  const big = 5n * 1024n ** 4n; // beyond 32 bits
  await db.osTemplate.create({ data: { hostId: host.id, name: "debian-12", distribution: "bookworm", sizeBytes: big } });
  assert.equal((await db.osTemplate.findFirstOrThrow({ where: { hostId: host.id } })).sizeBytes, big);
  mark("OsTemplate");
  const request = await db.planChangeRequest.create({ data: { vserverId: server.id, toPlanId: server.planId!, requestedById: customer.id, note: "more" } });
  await db.planChangeRequest.update({ where: { id: request.id }, data: { state: "APPROVED", decidedById: reseller.id, decidedAt: new Date() } });
  assert.equal((await db.planChangeRequest.findFirstOrThrow({ where: { vserverId: server.id, state: "APPROVED" } })).note, "more");
  mark("PlanChangeRequest");
  await db.setting.create({ data: { key: "k", value: "v" } });
  await db.setting.update({ where: { key: "k" }, data: { value: "w" } });
  mark("Setting");
  // Issue 15: the outbox, deliveries and their log, notifications and choices, webhooks,
  // traffic months (64-bit counters), counter states, password links, request counters,
  // login addresses.
  const event = await db.event.create({ data: { type: "server.crashed", vserverId: server.id, data: JSON.stringify({ cause: "exit 1" }) } });
  mark("Event");
  const hook = await db.webhookEndpoint.create({ data: { ownerId: reseller.id, url: "https://hooks.example.com/x", secretSealed: "sealed" } });
  mark("WebhookEndpoint");
  const delivery = await db.eventDelivery.create({ data: { eventId: event.id, channel: "WEBHOOK", endpointId: hook.id } });
  await db.eventDelivery.update({ where: { id: delivery.id }, data: { state: "DELIVERED", attempts: 1, lastStatus: 204 } });
  mark("EventDelivery");
  await db.deliveryAttempt.create({ data: { deliveryId: delivery.id, status: 204, durationMs: 12 } });
  mark("DeliveryAttempt");
  await db.notification.create({ data: { userId: customer.id, eventId: event.id, title: "Server stopped unexpectedly" } });
  await assert.rejects(db.notification.create({ data: { userId: customer.id, eventId: event.id, title: "again" } }), /Unique constraint/);
  mark("Notification");
  await db.notificationPreference.create({ data: { userId: customer.id, eventType: "server.crashed", channel: "EMAIL", enabled: false } });
  mark("NotificationPreference");
  const tb = 3n * 1024n ** 4n;
  await db.trafficMonth.create({ data: { vserverId: server.id, periodStart: new Date(Date.UTC(2026, 0, 1)), rxBytes: tb } });
  await db.trafficMonth.update({ where: { vserverId_periodStart: { vserverId: server.id, periodStart: new Date(Date.UTC(2026, 0, 1)) } }, data: { rxBytes: { increment: tb } } });
  assert.equal((await db.trafficMonth.findFirstOrThrow({ where: { vserverId: server.id } })).rxBytes, 2n * tb);
  mark("TrafficMonth");
  await db.serverCounterState.create({ data: { vserverId: server.id, hostId: host.id, seenRx: tb } });
  mark("ServerCounterState");
  await db.passwordToken.create({ data: { userId: customer.id, tokenHash: "hash-1", purpose: "RESET", expiresAt: new Date(Date.now() + 60_000) } });
  mark("PasswordToken");
  await db.requestCounter.create({ data: { key: "reset:ip:x" } });
  await db.requestCounter.update({ where: { key: "reset:ip:x" }, data: { count: { increment: 1 } } });
  mark("RequestCounter");
  await db.loginAddress.create({ data: { userId: customer.id, ip: "192.0.2.7" } });
  mark("LoginAddress");
  await db.sshKey.create({ data: { userId: customer.id, name: "laptop", type: "ssh-ed25519", bits: 256, publicKey: "ssh-ed25519 AAAA laptop", fingerprint: "SHA256:x" } });
  mark("SshKey");
  const backupTarget = await db.backupTarget.create({ data: { key: "local", name: "This host", kind: "LOCAL", hostId: host.id, location: JSON.stringify({ kind: "local", path: "/var/backups" }), isDefault: true } });
  mark("BackupTarget");
  const backup = await db.backup.create({ data: { vserverId: server.id, serverKey: server.id, serverName: server.name, ownerId: customer.id, hostId: host.id, targetId: backupTarget.id } });
  await db.backup.update({ where: { id: backup.id }, data: { state: "OK", snapshotId: "a".repeat(64), addedBytes: tb, totalBytes: 2n * tb, freezeMs: 12 } });
  assert.equal((await db.backup.findUniqueOrThrow({ where: { id: backup.id } })).totalBytes, 2n * tb, "BigInt sizes round-trip");
  mark("Backup");

  // Deletes, with the relations' rules: cascade, set-null and restrict.
  await assert.rejects(db.host.delete({ where: { id: host.id } }), /constraint|violat/i);
  await db.vServer.delete({ where: { id: server.id } });
  assert.equal(await db.trafficMonth.count(), 0, "traffic months go with their server");
  assert.equal(await db.serverCounterState.count(), 0);
  assert.equal(await db.event.count(), 1, "an event outlives its server");
  assert.equal((await db.ipAddress.findUniqueOrThrow({ where: { address: "192.0.2.10" } })).vserverId, null);
  assert.equal((await db.job.findUniqueOrThrow({ where: { id: job.id } })).vserverId, null);
  assert.equal(await db.consoleSession.count(), 0);
  assert.equal(await db.consoleGrant.count(), 0);
  assert.equal(await db.planChangeRequest.count(), 0, "requests go with their server");
  assert.equal((await db.backup.findUniqueOrThrow({ where: { id: backup.id } })).vserverId, null, "a backup outlives its server");
  await db.ipAddress.deleteMany({});
  await db.job.delete({ where: { id: job.id } });
  assert.equal(await db.jobLogLine.count(), 0);
  await db.host.delete({ where: { id: host.id } });
  assert.equal(await db.osTemplate.count(), 0);
  assert.equal(await db.backupTarget.count() + (await db.backup.count()), 0, "a host's own targets go with it, and their backups");
  assert.equal(await db.ipPoolHost.count(), 0);
  await db.ipPool.delete({ where: { id: pool.id } });
  await db.user.delete({ where: { id: customer.id } });
  assert.equal(await db.recoveryCode.count(), 0, "recovery codes go with their user");
  assert.equal(await db.notification.count() + (await db.notificationPreference.count()) + (await db.passwordToken.count()) + (await db.loginAddress.count()) + (await db.sshKey.count()), 0);
  await db.user.delete({ where: { id: reseller.id } });
  assert.equal(await db.plan.count(), 0, "a reseller's plans go with it");
  assert.equal(await db.resellerQuota.count(), 0);
  assert.equal(await db.apiToken.count(), 0);
  assert.equal(await db.webhookEndpoint.count(), 0, "webhooks go with their owner");
  assert.equal(await db.eventDelivery.count(), 0, "and their deliveries");
  await db.event.deleteMany({});
  await db.requestCounter.deleteMany({});
  await db.setting.delete({ where: { key: "k" } });
  await db.loginThrottle.delete({ where: { key: "email:x" } });
  await db.auditLog.deleteMany({});

  assert.deepEqual([...covered].sort(), Object.values(Prisma.ModelName).sort(), "every model is exercised");
});
