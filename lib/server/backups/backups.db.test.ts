/**
 * Backups in the panel (issue 14), on SQLite and PostgreSQL, against a fake agent that
 * speaks the contract: who may see and act on which backup (another server's or
 * tenant's backup or snapshot id is 404 and the host is not asked), the plan's on-demand
 * slots, the retention of scheduled backups, the schedule's due backups, and pruning of a
 * terminated server's backups after the admin's grace period.
 */
import { after, before, beforeEach, test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { db } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { databaseTarget } from "@/lib/db/url";
import { AppError } from "@/lib/errors";
import { startFakeAgent, type FakeAgent } from "@/lib/auth/testing/fake-agent";
import { createFakeAgentHost } from "@/lib/auth/testing/fake-agent-host";
import { seedTenants, sessionActor, type Tenants } from "@/lib/auth/testing/tenants";
import { agentForHost } from "@/lib/server/hosts/agent-for-host";
import { dispatchApi } from "@/lib/api/v1/dispatch";
import { openApiDocument } from "@/lib/api/v1/openapi";
import { applyRetention } from "./apply-retention";
import { setBackupGraceDays } from "./backup-settings";
import { browseBackup } from "./browse-backup";
import { downloadBackup } from "./download-backup";
import { getBackupOrThrow } from "./get-backup-or-throw";
import { listServerBackups } from "./list-server-backups";
import { requestBackup } from "./request-backup";
import { requestDeleteBackup } from "./request-delete-backup";
import { requestRestore, requestRestoreFiles } from "./request-restore";
import { requestRestoreAsNew } from "./request-restore-as-new";
import { listOrphanedBackups } from "./list-orphaned-backups";
import { requestRestoreOrphanAsNew } from "./request-restore-orphan-as-new";
import { runBackupSchedule } from "./run-backup-schedule";

process.env.NEXTAUTH_SECRET ??= "backups-test-secret-of-enough-length-0123456789";

let fx: Tenants;
let agent: FakeAgent;
let targetId: string;
const hex = () => crypto.randomBytes(32).toString("hex");

function targetInfo(id: string, location: unknown) {
  return { id, location, initialized: true, repositoryBytes: 0, freeBytes: 1e9, snapshots: 0, lastCheck: null, problem: null };
}

async function rejects(p: Promise<unknown>, code: string, message?: RegExp) {
  await assert.rejects(p, (e: unknown) => e instanceof AppError && e.code === code && (!message || message.test(e.message)));
}

async function backupOf(serverId: string, over: Partial<{ scheduled: boolean; at: Date; state: string; snapshotId: string | null }> = {}) {
  const server = await db().vServer.findUniqueOrThrow({ where: { id: serverId } });
  return db().backup.create({
    data: {
      vserverId: server.id, serverKey: server.id, serverName: server.name, ownerId: server.ownerId, hostId: server.hostId, targetId,
      state: over.state ?? "OK", scheduled: over.scheduled ?? false, snapshotId: over.snapshotId === undefined ? hex() : over.snapshotId,
      takenAt: over.at ?? new Date(), createdAt: over.at ?? new Date(), addedBytes: 1000n, totalBytes: 5000n, durationMs: 800, freezeMs: 12, consistency: "reflink",
    },
  });
}

before(async () => {
  await migrate(databaseTarget());
  agent = await startFakeAgent();
  const hostId = await createFakeAgentHost(db(), agent, `backup-host-${crypto.randomBytes(3).toString("hex")}`);
  fx = await seedTenants(db(), hostId);
  agent.answers.listBackupTargets = () => ({ targets: [targetInfo("local", { kind: "local", path: "/tmp/vst-backups" })], sshPublicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFake vserver-agent" });
  agent.answers.putBackupTarget = (i) => targetInfo(String(i.id), i.location);
  agent.answers.browseBackup = (i) => ({ path: i.path, entries: [{ name: "hosts", path: "/etc/hosts", type: "file", size: 12, mode: 0o644, mtime: new Date().toISOString(), linkTarget: null }] });
  agent.answers.deleteBackup = () => ({ ok: true });
  agent.answers.pruneBackups = () => ({ removed: [], kept: 0 });
  agent.answers.createBackup = () => ({ operationId: "op-1" });
  const target = await db().backupTarget.create({ data: { hostId, key: "local", name: "Local disk", kind: "LOCAL", location: JSON.stringify({ kind: "local", path: "/tmp/x" }), isDefault: true } });
  targetId = target.id;
});
beforeEach(async () => {
  await db().job.deleteMany({ where: { type: { startsWith: "backup." } } });
  await db().backup.deleteMany({ where: { targetId } });
});
after(async () => {
  await agent?.close();
  await db().$disconnect();
});

test("each role sees the backups of the servers it may see; others get 404", async () => {
  const a = await backupOf(fx.a.serverId);
  await backupOf(fx.b.serverId);
  for (const who of ["admin", "support", "resellerA", "customerA"] as const) {
    const list = await listServerBackups(db(), sessionActor(fx, who), fx.a.serverId);
    assert.deepEqual(list.map((b) => b.id), [a.id], who);
  }
  for (const who of ["resellerB", "customerB"] as const) await rejects(listServerBackups(db(), sessionActor(fx, who), fx.a.serverId), "NOT_FOUND");
});

test("a backup or snapshot id of another server or tenant is 404 and the host is not asked", async () => {
  const a = await backupOf(fx.a.serverId);
  const customerB = sessionActor(fx, "customerB");
  const before = agent.calls.length;
  // B's own server with A's backup: by panel id, by full and by short snapshot id.
  for (const ref of [a.id, a.snapshotId!, a.snapshotId!.slice(0, 8)]) {
    await rejects(getBackupOrThrow(db(), customerB, fx.b.serverId, ref), "NOT_FOUND");
    await rejects(browseBackup(db(), customerB, fx.b.serverId, ref, { path: "/" }), "NOT_FOUND");
    await rejects(downloadBackup(db(), customerB, fx.b.serverId, ref, { path: "/etc/hosts" }), "NOT_FOUND");
    await rejects(requestRestore(db(), customerB, fx.b.serverId, ref), "NOT_FOUND");
  }
  // Even the admin cannot reach A's backup through B's server.
  await rejects(getBackupOrThrow(db(), sessionActor(fx, "admin"), fx.b.serverId, a.id), "NOT_FOUND");
  assert.equal(agent.calls.length, before, "no agent call for a refused id");
});

test("browsing passes the snapshot's own server and owner; a path leaving the snapshot is refused before the host", async () => {
  const a = await backupOf(fx.a.serverId);
  const before = agent.calls.length;
  const r = await browseBackup(db(), sessionActor(fx, "customerA"), fx.a.serverId, a.id, { path: "/etc" });
  assert.equal(r.entries[0]?.name, "hosts");
  const call = agent.calls.slice(before).find((c) => c.op === "browseBackup");
  const server = await db().vServer.findUniqueOrThrow({ where: { id: fx.a.serverId } });
  assert.deepEqual(call?.input, { target: "local", name: server.name, owner: server.id, snapshot: a.snapshotId, path: "/etc" });
  const n = agent.calls.length;
  await rejects(browseBackup(db(), sessionActor(fx, "customerA"), fx.a.serverId, a.id, { path: "/etc/../../x" }), "BAD_REQUEST");
  await rejects(requestRestoreFiles(db(), sessionActor(fx, "customerA"), fx.a.serverId, a.id, { paths: ["etc/passwd"] }), "BAD_REQUEST");
  assert.equal(agent.calls.length, n);
});

test("support reads the list but cannot browse, back up, restore, delete or download", async () => {
  const a = await backupOf(fx.a.serverId);
  const support = sessionActor(fx, "support");
  await rejects(requestBackup(db(), support, fx.a.serverId, {}), "FORBIDDEN");
  await rejects(requestRestore(db(), support, fx.a.serverId, a.id), "FORBIDDEN");
  await rejects(requestDeleteBackup(db(), support, fx.a.serverId, a.id), "FORBIDDEN");
  await rejects(downloadBackup(db(), support, fx.a.serverId, a.id, { path: "/etc/hosts" }), "NOT_FOUND");
  await rejects(browseBackup(db(), support, fx.a.serverId, a.id, { path: "/" }), "NOT_FOUND");
  assert.equal(await db().job.count({ where: { type: { startsWith: "backup." } } }), 0);
});

test("on-demand backups stop at the plan's slots with the limit named; scheduled ones do not count", async () => {
  await db().plan.update({ where: { id: fx.a.planId }, data: { backupSlots: 1 } });
  await backupOf(fx.a.serverId, { scheduled: true });
  const customer = sessionActor(fx, "customerA");
  const first = await requestBackup(db(), customer, fx.a.serverId, { note: "before upgrade" });
  const row = await db().backup.findUniqueOrThrow({ where: { id: first.backupId } });
  assert.equal(row.state, "RUNNING");
  assert.equal(row.note, "before upgrade");
  await db().job.update({ where: { id: first.jobId }, data: { state: "SUCCEEDED" } });
  await rejects(requestBackup(db(), customer, fx.a.serverId, {}), "QUOTA_EXCEEDED", /allows 1 on-demand backup at once/);
  await db().plan.update({ where: { id: fx.a.planId }, data: { backupSlots: 0 } });
  await rejects(requestBackup(db(), customer, fx.a.serverId, {}), "QUOTA_EXCEEDED", /includes no on-demand backups/);
  assert.equal(await db().backup.count({ where: { vserverId: fx.a.serverId, scheduled: false } }), 1, "nothing queued by a refusal");
  await db().plan.update({ where: { id: fx.a.planId }, data: { backupSlots: 3 } });
});

test("the retention keeps the newest scheduled backup of each kept day and leaves on-demand ones", async () => {
  const day = 86_400_000;
  const now = Date.now();
  const kept1 = await backupOf(fx.a.serverId, { scheduled: true, at: new Date(now - 1000) });
  const sameDayOlder = await backupOf(fx.a.serverId, { scheduled: true, at: new Date(now - 2000) });
  const kept2 = await backupOf(fx.a.serverId, { scheduled: true, at: new Date(now - day) });
  const dropped = await backupOf(fx.a.serverId, { scheduled: true, at: new Date(now - 2 * day) });
  const manual = await backupOf(fx.a.serverId, { scheduled: false, at: new Date(now - 9 * day) });
  const host = await db().host.findUniqueOrThrow({ where: { id: fx.hostId } });
  const before = agent.calls.length;
  const removed = await applyRetention(db(), agentForHost(host), fx.a.serverId, { keepDaily: 2, keepWeekly: 0, keepMonthly: 0 });
  assert.deepEqual(new Set(removed), new Set([sameDayOlder.id, dropped.id]));
  const left = (await db().backup.findMany({ where: { vserverId: fx.a.serverId } })).map((b) => b.id);
  assert.deepEqual(new Set(left), new Set([kept1.id, kept2.id, manual.id]));
  const deletes = agent.calls.slice(before).filter((c) => c.op === "deleteBackup").map((c) => (c.input as { snapshot: string }).snapshot);
  assert.deepEqual(new Set(deletes), new Set([sameDayOlder.snapshotId, dropped.snapshotId]));
});

test("the schedule starts a due daily backup once, and not before its time", async () => {
  await db().plan.update({ where: { id: fx.a.planId }, data: { backupSchedule: "DAILY", backupTime: "03:00" } });
  try {
    const at = (h: number, m = 0) => new Date(Date.UTC(2026, 11, 7, h, m));
    const early = await runBackupSchedule(db(), at(2, 59));
    assert.ok(!early.started.includes(fx.a.serverId), "yesterday's slot is past its catch-up window and today's is not yet");
    const due = await runBackupSchedule(db(), at(3, 1));
    assert.ok(due.started.includes(fx.a.serverId));
    const row = await db().backup.findFirstOrThrow({ where: { vserverId: fx.a.serverId, scheduled: true } });
    assert.equal(row.note, "scheduled daily");
    await db().job.updateMany({ where: { type: "backup.create" }, data: { state: "SUCCEEDED" } });
    await db().backup.update({ where: { id: row.id }, data: { createdAt: at(3, 1) } });
    const again = await runBackupSchedule(db(), at(3, 30));
    assert.ok(!again.started.includes(fx.a.serverId), "one backup per slot");
    assert.ok(!due.started.includes(fx.b.serverId), "a plan without a schedule gets none");
  } finally {
    await db().plan.update({ where: { id: fx.a.planId }, data: { backupSchedule: "NONE" } });
  }
});

test("a terminated server's backups stay for the grace period, then all its snapshots are pruned", async () => {
  await setBackupGraceDays(db(), sessionActor(fx, "admin"), { graceDays: 7 });
  const server = await db().vServer.findUniqueOrThrow({ where: { id: fx.b.serverId } });
  // As after termination: the server row is gone (vserverId null), the backup keeps whose it was.
  const gone = await db().backup.create({
    data: { vserverId: null, serverKey: "terminated-server-key", serverName: "gone1", ownerId: server.ownerId, hostId: server.hostId, targetId, state: "OK", snapshotId: hex() },
  });
  const t0 = new Date();
  await runBackupSchedule(db(), t0);
  assert.ok((await db().backup.findUniqueOrThrow({ where: { id: gone.id } })).orphanedAt, "marked when noticed");
  await runBackupSchedule(db(), new Date(t0.getTime() + 6 * 86_400_000));
  assert.ok(await db().backup.findUnique({ where: { id: gone.id } }), "kept within the grace period");
  const before = agent.calls.length;
  const pass = await runBackupSchedule(db(), new Date(t0.getTime() + 7 * 86_400_000 + 1000));
  assert.equal(pass.pruned, 1);
  assert.equal(await db().backup.findUnique({ where: { id: gone.id } }), null);
  const prune = agent.calls.slice(before).find((c) => c.op === "pruneBackups");
  assert.deepEqual(prune?.input, { target: "local", name: "gone1", owner: "terminated-server-key", retention: { keepLast: 0, keepDaily: 0, keepWeekly: 0, keepMonthly: 0 } });
});

test("a terminated server comes back as a new server from a kept backup: its provider only, with the plan it had", async () => {
  const server = await db().vServer.findUniqueOrThrow({ where: { id: fx.a.serverId } });
  await db().backup.deleteMany({ where: { vserverId: server.id, scheduled: false } });
  // A backup records what the server was made as, so it can be made again after the row is gone.
  const { backupId } = await requestBackup(db(), sessionActor(fx, "customerA"), server.id, { note: "origin" });
  const made = await db().backup.findUniqueOrThrow({ where: { id: backupId } });
  assert.deepEqual([made.planId, made.buildMethod, made.distribution], [server.planId, server.buildMethod, server.distribution]);
  const living = await backupOf(server.id);
  await rejects(requestRestoreOrphanAsNew(db(), sessionActor(fx, "admin"), living.id, { hostname: "back.example.test" }), "NOT_FOUND");
  // Terminated: the row goes, the backup stays with whose it was and its plan.
  await db().backup.update({ where: { id: backupId }, data: { vserverId: null, state: "OK", snapshotId: hex(), takenAt: new Date(), orphanedAt: new Date() } });
  const listed = await listOrphanedBackups(db(), sessionActor(fx, "resellerA"));
  const row = listed.find((b) => b.id === backupId);
  assert.ok(row?.prunedAfter, "the page says when it goes");
  assert.equal(row.ownerEmail, fx.a.customerEmail);
  assert.ok(!(await listOrphanedBackups(db(), sessionActor(fx, "resellerB"))).some((b) => b.id === backupId), "another reseller does not see it");
  await rejects(listOrphanedBackups(db(), sessionActor(fx, "customerA")), "NOT_FOUND");
  await rejects(listOrphanedBackups(db(), sessionActor(fx, "support")), "NOT_FOUND");
  await rejects(requestRestoreOrphanAsNew(db(), sessionActor(fx, "resellerB"), backupId, { hostname: "back.example.test" }), "NOT_FOUND");
  await rejects(requestRestoreOrphanAsNew(db(), sessionActor(fx, "customerA"), backupId, { hostname: "back.example.test" }), "NOT_FOUND");
  await rejects(requestRestoreOrphanAsNew(db(), sessionActor(fx, "resellerA"), backupId, { hostname: "not a host name" }), "BAD_REQUEST");
  const back = await requestRestoreOrphanAsNew(db(), sessionActor(fx, "resellerA"), backupId, { hostname: "back.example.test", start: false });
  const copy = await db().vServer.findUniqueOrThrow({ where: { id: back.serverId } });
  assert.deepEqual([copy.ownerId, copy.planId, copy.hostId, copy.userNamespace], [server.ownerId, server.planId, server.hostId, true]);
  const job = await db().job.findUniqueOrThrow({ where: { id: back.jobId } });
  assert.equal(job.type, "backup.restore-as-new");
  assert.equal(JSON.parse(job.payload).backupId, backupId);
  await db().job.deleteMany({ where: { vserverId: copy.id } });
  await db().ipAddress.updateMany({ where: { vserverId: copy.id }, data: { vserverId: null } });
  await db().vServer.delete({ where: { id: copy.id } });
  await db().backup.deleteMany({ where: { id: { in: [backupId, living.id] } } });
});

function api(method: string, path: string, token: string, body?: unknown): Promise<Response> {
  const req = new Request(`http://panel.test/api/v1${path}`, { method, headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
  return dispatchApi(req, path.split("?")[0]!.split("/").filter(Boolean));
}

test("the REST API lists, browses and refuses like the loaders; the OpenAPI document has the backup operations", async () => {
  const a = await backupOf(fx.a.serverId);
  const list = await api("GET", `/servers/${fx.a.serverId}/backups`, fx.a.token);
  assert.equal(list.status, 200);
  const body = (await list.json()) as { backups: { id: string; addedBytes: number; freezeMs: number }[] };
  assert.deepEqual(body.backups.map((b) => [b.id, b.addedBytes, b.freezeMs]), [[a.id, 1000, 12]]);
  assert.equal((await api("GET", `/servers/${fx.a.serverId}/backups/${a.snapshotId!.slice(0, 8)}/files?path=/etc`, fx.a.token)).status, 200);
  const before = agent.calls.length;
  assert.equal((await api("GET", `/servers/${fx.a.serverId}/backups`, fx.b.token)).status, 404);
  assert.equal((await api("GET", `/servers/${fx.b.serverId}/backups/${a.id}/files`, fx.b.token)).status, 404);
  assert.equal((await api("GET", `/servers/${fx.b.serverId}/backups/${a.snapshotId}/download?path=/etc/hosts`, fx.b.token)).status, 404);
  assert.equal((await api("POST", `/servers/${fx.b.serverId}/backups/${a.id}/restore`, fx.b.token, {})).status, 404);
  assert.equal((await api("DELETE", `/servers/${fx.b.serverId}/backups/${a.id}`, fx.b.token)).status, 404);
  assert.equal(agent.calls.length, before, "no agent call for another tenant's backup");
  const doc = openApiDocument("http://panel.test") as { paths: Record<string, Record<string, { operationId: string; responses: Record<string, { content: Record<string, unknown> }> }>> };
  const ids = Object.values(doc.paths).flatMap((p) => Object.values(p).map((o) => o.operationId));
  for (const id of ["listServerBackups", "createServerBackup", "restoreServerBackup", "restoreServerBackupFiles", "restoreServerBackupAsNew", "browseServerBackup", "downloadServerBackup", "deleteServerBackup"]) assert.ok(ids.includes(id), id);
  assert.ok(doc.paths["/servers/{id}/backups/{backupId}/download"]!.get!.responses["200"]!.content["application/octet-stream"]);
});

test("a new server from a backup: the owner's reseller makes it for the same customer on the backup's host; customers and other resellers cannot", async () => {
  const a = await backupOf(fx.a.serverId);
  await rejects(requestRestoreAsNew(db(), sessionActor(fx, "customerA"), fx.a.serverId, a.id, { hostname: "copy.example.test" }), "FORBIDDEN");
  await rejects(requestRestoreAsNew(db(), sessionActor(fx, "resellerB"), fx.a.serverId, a.id, { hostname: "copy.example.test" }), "NOT_FOUND");
  await db().resellerQuota.update({ where: { resellerId: fx.a.resellerId }, data: { maxServers: { increment: 1 }, maxCpuMilli: { increment: 2000 }, maxMemoryMb: { increment: 1024 }, maxDiskMb: { increment: 4096 } } });
  const made = await requestRestoreAsNew(db(), sessionActor(fx, "resellerA"), fx.a.serverId, a.id, { hostname: "copy.example.test" });
  try {
    const copy = await db().vServer.findUniqueOrThrow({ where: { id: made.serverId } });
    assert.deepEqual([copy.ownerId, copy.hostId, copy.hostname, copy.planId], [fx.a.customerId, fx.hostId, "copy.example.test", fx.a.planId]);
    const job = await db().job.findUniqueOrThrow({ where: { id: made.jobId } });
    assert.equal(job.type, "backup.restore-as-new");
    assert.equal((JSON.parse(job.payload) as { backupId: string }).backupId, a.id);
  } finally {
    await db().job.deleteMany({ where: { vserverId: made.serverId } });
    await db().ipAddress.deleteMany({ where: { vserverId: made.serverId } });
    await db().vServer.delete({ where: { id: made.serverId } });
  }
});
