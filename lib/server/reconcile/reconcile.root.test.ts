/**
 * The reconciler on the real kernel: a real agent on a temporary host, a real SQLite
 * database, servers built through the panel's own jobs. The agent is killed, the host is
 * changed behind its back in several ways (an admin's CLI stop, a suspension undone by
 * hand, a limit changed, an address removed and a foreign one added, a server the panel
 * does not know), the agent comes back, and one reconciliation pass brings the host and
 * the panel's record together: the panel's decisions are restored on the host, the
 * admin's stop is adopted, the stranger is reported, and each correction is one audit
 * entry. With the agent gone, the host's servers are "unknown", not a guess.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import { cliActor, type Actor } from "@/lib/server/actor";
import { createPool } from "@/lib/server/ip-pools/create-pool";
import { createPlan } from "@/lib/server/plans/create-plan";
import { createServer } from "@/lib/server/vservers/provision/create-server";
import { requestPower } from "@/lib/server/vservers/request-power";
import { serverStatusOf, serverStatusSelect } from "@/lib/server/vservers/server-status";
import { binPath } from "@/agent/src/ops/testing/temp-host";
import type { Db } from "@/lib/db/client";
import { startPanelOnTempHost, type PanelOnTempHost } from "@/lib/server/testing/panel-on-temp-host";
import { reconcileHost } from "./reconcile-host";

let p: PanelOnTempHost;
let db: Db;
let hostId: string;
let reseller: Actor;
let customer: Actor;
let planId: string;
const servers: Record<string, { id: string; name: string }> = {};
const settle = (jobId: string) => p.settle(jobId);
const agent = () => p.agent();

function vserver(...args: string[]): string {
  return execFileSync(binPath("vserver"), args, { env: p.host.env, encoding: "utf8" });
}

before(async () => {
  p = await startPanelOnTempHost();
  db = p.db;
  hostId = p.hostId;
  const a = await db.user.create({ data: { email: "rec-admin@example.com", role: "ADMIN", passwordHash: "x" } });
  const r = await db.user.create({ data: { email: "rec-reseller@example.com", role: "RESELLER", passwordHash: "x" } });
  const c = await db.user.create({ data: { email: "rec-customer@example.com", role: "CUSTOMER", passwordHash: "x", resellerId: r.id } });
  const admin = cliActor(a.id, "ADMIN");
  reseller = cliActor(r.id, "RESELLER");
  customer = cliActor(c.id, "CUSTOMER");
  await db.resellerQuota.create({ data: { resellerId: r.id, maxServers: 5, maxCpuMilli: 5000, maxMemoryMb: 2048, maxDiskMb: 4096, maxIpv4: 8, maxIpv6: 0 } });
  await createPool(db, admin, { name: "rec-v4", cidr: "10.244.9.0/28", gateway: "10.244.9.1", hostIds: [hostId] });
  planId = (await createPlan(db, admin, { name: "Rec", cpuMilli: 500, cpuMilliMax: 1000, memoryMb: 128, memoryMbMax: 256, diskMb: 64, diskMbMax: 128, pids: 128, pidsMax: 256 })).id;
  for (const name of ["alpha", "bravo", "charlie"]) {
    const made = await createServer(db, reseller, { customerId: c.id, planId, hostname: `${name}.example.com`, method: "busybox" });
    const job = await settle(made.jobId);
    assert.equal(job.state, "SUCCEEDED", job.error ?? "");
    servers[name] = { id: made.serverId, name: made.name };
  }
});

after(async () => {
  await p?.stop();
});

test("a host changed behind the panel's back converges in one pass, one audit entry per correction", async () => {
  const { alpha, bravo, charlie } = servers as Record<string, { id: string; name: string }>;
  // The panel's decisions: bravo suspended, charlie stopped by its customer; alpha runs.
  assert.equal((await settle((await requestPower(db, reseller, bravo!.id, "suspend", "unpaid")).jobId)).state, "SUCCEEDED");
  assert.equal((await settle((await requestPower(db, customer, charlie!.id, "stop")).jobId)).state, "SUCCEEDED");
  const clean = await reconcileHost(db, hostId);
  assert.deepEqual({ corrected: clean.corrected, adopted: clean.adopted, drifting: clean.drifting }, { corrected: 0, adopted: 0, drifting: 0 }, "nothing to do before the tampering");
  const alphaAddress = (await db.ipAddress.findFirstOrThrow({ where: { vserverId: alpha!.id } })).address;

  // Behind its back, with the agent dead.
  await p.stopAgent();
  vserver(alpha!.name, "stop"); // an admin's decision on the host, after the panel's
  fs.writeFileSync(path.join(p.host.paths.confDir, bravo!.name, "desired"), "running\nby panel\n"); // a suspension undone by hand
  vserver(bravo!.name, "start");
  vserver(alpha!.name, "ip", "del", `${alphaAddress}/28`);
  vserver(charlie!.name, "ip", "add", "10.244.9.14/28");
  execFileSync(binPath("vlimit"), [charlie!.name, "--memory", "96M"], { env: p.host.env });
  vserver("stray", "build", "-m", "busybox", "--no-boot");

  // While the host cannot be reached, its servers are unknown, not a guess.
  const away = await reconcileHost(db, hostId, 2000);
  assert.equal(away.reachable, false);
  const unknown = serverStatusOf(await db.vServer.findUniqueOrThrow({ where: { id: alpha!.id }, select: serverStatusSelect }));
  assert.equal(unknown.hostOnline, false);
  assert.ok(unknown.hostSeenAt, "says since when");

  await p.startAgent();
  const auditBefore = await db.auditLog.count({ where: { action: { startsWith: "reconcile." } } });
  const pass = await reconcileHost(db, hostId);
  assert.equal(pass.reachable, true);
  assert.deepEqual(pass.unmanaged, ["stray"]);

  // alpha: the admin's stop is adopted; its address comes back.
  const a = await agent().getVserver({ name: alpha!.name });
  const aRow = await db.vServer.findUniqueOrThrow({ where: { id: alpha!.id } });
  assert.equal(a.state, "stopped");
  assert.equal(aRow.desiredState, "STOPPED");
  assert.equal(aRow.state, "STOPPED");
  assert.ok(a.interfaces.some((i) => i.address === alphaAddress), "the removed address is back");
  // bravo: suspended and stopped again, on the host too.
  const b = await agent().getVserver({ name: bravo!.name });
  assert.equal(b.state, "stopped");
  assert.deepEqual([b.desired?.state, b.desired?.reason], ["suspended", "unpaid"]);
  // charlie: the plan's memory again, the foreign address gone.
  const c = await agent().getVserver({ name: charlie!.name });
  assert.equal(c.limits.memory, 128 * 1024 * 1024);
  assert.ok(!c.interfaces.some((i) => i.address === "10.244.9.14"), "the address the panel never gave is removed");
  assert.equal(c.state, "stopped");

  const entries = await db.auditLog.findMany({ where: { action: { startsWith: "reconcile." } }, orderBy: { at: "asc" }, skip: auditBefore });
  const byServer = (id: string, action: string) => entries.filter((e) => e.targetId === id && e.action === action).length;
  assert.equal(byServer(alpha!.id, "reconcile.adopt"), 1, "the CLI stop adopted once");
  assert.equal(byServer(alpha!.id, "reconcile.correct"), 1, "the address re-added");
  assert.equal(byServer(bravo!.id, "reconcile.correct"), 1, "the suspension put back");
  assert.equal(byServer(charlie!.id, "reconcile.correct"), 2, "memory and the foreign address");
  assert.equal(entries.length, 5);
  assert.equal(pass.corrected + pass.adopted, 5);

  // Converged: a second pass finds nothing.
  const again = await reconcileHost(db, hostId);
  assert.deepEqual({ corrected: again.corrected, adopted: again.adopted }, { corrected: 0, adopted: 0 });
  vserver("stray", "delete");
});

test("a server stopped on the host is shown stopped by the next pass, with the time the host said so", async () => {
  const { charlie } = servers as Record<string, { id: string; name: string }>;
  assert.equal((await settle((await requestPower(db, customer, charlie!.id, "start")).jobId)).state, "SUCCEEDED");
  const started = await db.vServer.findUniqueOrThrow({ where: { id: charlie!.id } });
  assert.equal(started.state, "RUNNING");
  vserver(charlie!.name, "stop");
  await reconcileHost(db, hostId);
  const row = await db.vServer.findUniqueOrThrow({ where: { id: charlie!.id } });
  assert.equal(row.state, "STOPPED");
  assert.equal(row.desiredState, "STOPPED", "the CLI stop is adopted");
  assert.ok(row.observedAt && row.observedAt > started.observedAt!, "observed anew");
});
