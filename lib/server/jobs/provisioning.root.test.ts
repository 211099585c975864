/**
 * Provisioning end to end below the browser, on the real kernel: a real agent daemon
 * on a temporary host, a real SQLite database, the real job runner. A reseller's
 * customer gets a server from a plan; the job builds and starts it on the host; stop
 * and start go through jobs; a build that fails on the host leaves nothing there and the
 * server listed as failed (retry, delete); quota and plan limits refuse with the field named;
 * terminate returns the addresses; only an admin may ask for shared uids.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { cliActor, type Actor } from "@/lib/server/actor";
import { createPool } from "@/lib/server/ip-pools/create-pool";
import { createPlan } from "@/lib/server/plans/create-plan";
import { setResellerQuota } from "@/lib/server/resellers/set-reseller-quota";
import { createServer } from "@/lib/server/vservers/provision/create-server";
import { requestPower } from "@/lib/server/vservers/request-power";
import { retryBuild } from "@/lib/server/vservers/retry-build";
import { requestReinstall, requestTemplateExport, requestUnify } from "@/lib/server/vservers/request-maintenance";
import type { TempHost } from "@/agent/src/ops/testing/temp-host";
import type { AgentClient } from "@/lib/agent-client";
import type { Db } from "@/lib/db/client";
import { startPanelOnTempHost, type PanelOnTempHost } from "@/lib/server/testing/panel-on-temp-host";

let p: PanelOnTempHost;
let host: TempHost;
let agent: AgentClient;
let db: Db;
let hostId: string;
let admin: Actor;
let reseller: Actor;
let customerId: string;
let planId: string;
const settle = (jobId: string) => p.settle(jobId);

before(async () => {
  p = await startPanelOnTempHost();
  ({ host, db, hostId } = p);
  agent = p.agent();
  const a = await db.user.create({ data: { email: "prov-admin@example.com", role: "ADMIN", passwordHash: "x" } });
  const r = await db.user.create({ data: { email: "prov-reseller@example.com", role: "RESELLER", passwordHash: "x" } });
  customerId = (await db.user.create({ data: { email: "prov-customer@example.com", role: "CUSTOMER", passwordHash: "x", resellerId: r.id } })).id;
  admin = cliActor(a.id, "ADMIN");
  reseller = cliActor(r.id, "RESELLER");
  await createPool(db, admin, { name: "prov-v4", cidr: "10.244.7.0/29", gateway: "10.244.7.1", hostIds: [hostId] });
  await setResellerQuota(db, admin, r.id, { maxServers: 3, maxCpuMilli: 4000, maxMemoryMb: 2048, maxDiskMb: 4096, maxIpv4: 4, maxIpv6: 0 });
  planId = (
    await createPlan(db, admin, { name: "Tiny", cpuMilli: 500, cpuMilliMax: 1000, memoryMb: 128, memoryMbMax: 256, diskMb: 64, diskMbMax: 128, pids: 128, pidsMax: 256, ipv4Count: 1, ipv6Count: 0 })
  ).id;
});

after(async () => {
  await p?.stop();
});

test("limits above the plan and requests beyond the reseller's quota are refused with the field named", async () => {
  await assert.rejects(createServer(db, reseller, { customerId, planId, hostname: "big.example.com", limits: { memoryMb: 512 } }), (e: { field?: string }) => e.field === "memoryMb");
  await assert.rejects(createServer(db, cliActor(customerId, "CUSTOMER"), { customerId, planId, hostname: "x.example.com" }), /may not create/);
  assert.equal(await db.vServer.count(), 0);
  assert.equal(await db.ipAddress.count(), 0);
});

test("a reseller provisions a server; the job builds and starts it on the host", async () => {
  const made = await createServer(db, reseller, { customerId, planId, hostname: "web1.example.com", method: "busybox", rootPassword: "secret-pass-1" });
  const job = await settle(made.jobId);
  assert.equal(job.state, "SUCCEEDED", job.error ?? "");
  const row = await db.vServer.findUniqueOrThrow({ where: { id: made.serverId }, include: { addresses: true } });
  assert.equal(row.state, "RUNNING");
  assert.equal(row.addresses[0]?.address, "10.244.7.2");
  const info = await agent.getVserver({ name: made.name });
  assert.equal(info.state, "running");
  assert.equal(info.hostname, "web1.example.com");
  assert.deepEqual(info.interfaces.map((i) => i.address), ["10.244.7.2"]);
  assert.equal(info.limits.memory, 128 * 1024 * 1024);
  assert.equal(info.userNamespace, true, "its own user namespace by default");
  const out = await agent.execInVserver({ name: made.name, argv: ["hostname"] });
  assert.equal(out.stdout.trim(), "web1.example.com");
  assert.ok(!JSON.parse(job.payload).sealedRootPassword, "the sealed password is gone from the finished job");
  const lines = await db.jobLogLine.count({ where: { jobId: made.jobId } });
  assert.ok(lines > 1, "the agent's build log was copied into the job");
});

test("stop and start go through jobs and the row follows the host", async () => {
  const server = await db.vServer.findFirstOrThrow({ where: { hostname: "web1.example.com" } });
  const stop = await requestPower(db, cliActor(customerId, "CUSTOMER"), server.id, "stop");
  assert.equal((await settle(stop.jobId)).state, "SUCCEEDED");
  assert.equal((await db.vServer.findUniqueOrThrow({ where: { id: server.id } })).state, "STOPPED");
  assert.equal((await agent.getVserver({ name: server.name })).state, "stopped");
  const start = await requestPower(db, cliActor(customerId, "CUSTOMER"), server.id, "start");
  assert.equal((await settle(start.jobId)).state, "SUCCEEDED");
  assert.equal((await agent.getVserver({ name: server.name })).state, "running");
});

test("a suspended server cannot be started by its customer", async () => {
  const server = await db.vServer.findFirstOrThrow({ where: { hostname: "web1.example.com" } });
  const suspend = await requestPower(db, reseller, server.id, "suspend", "unpaid invoice");
  assert.equal((await settle(suspend.jobId)).state, "SUCCEEDED");
  assert.equal((await agent.getVserver({ name: server.name })).state, "stopped");
  await assert.rejects(requestPower(db, cliActor(customerId, "CUSTOMER"), server.id, "start"), /suspended: unpaid invoice/);
  await assert.rejects(requestPower(db, cliActor(customerId, "CUSTOMER"), server.id, "unsuspend"), /ask your provider/);
  assert.equal((await settle((await requestPower(db, reseller, server.id, "unsuspend")).jobId)).state, "SUCCEEDED");
});

test("a build that fails on the host leaves nothing there; the server stays listed as failed until built again or deleted", async () => {
  // The host's debootstrap mirror points at a closed loopback port: the build fails on the host.
  const mirrorDir = path.join(host.paths.confDir, ".defaults", "apps", "debootstrap");
  fs.mkdirSync(mirrorDir, { recursive: true });
  fs.writeFileSync(path.join(mirrorDir, "mirror"), "http://127.0.0.1:9/debian\n");
  const before = { servers: await db.vServer.count(), addresses: await db.ipAddress.count(), onHost: (await agent.listVservers({})).vservers.length };
  const made = await createServer(db, reseller, { customerId, planId, hostname: "broken.example.com", method: "debootstrap", distribution: "bookworm" });
  const job = await settle(made.jobId);
  assert.equal(job.state, "FAILED");
  assert.ok(job.error && job.error.length > 0);
  const failed = await db.vServer.findUniqueOrThrow({ where: { id: made.serverId } });
  assert.deepEqual([failed.state, failed.lastError], ["ERROR", job.error], "listed as failed, with the reason");
  assert.equal(await db.ipAddress.count(), before.addresses + 1, "its address is held for a retry");
  assert.equal((await agent.listVservers({})).vservers.length, before.onHost, "nothing half-built on the host");
  assert.ok(!fs.existsSync(path.join(host.paths.confDir, made.name)));
  // Built again: the mirror is still closed, so it fails the same way and stays listed.
  await assert.rejects(retryBuild(db, cliActor(customerId, "CUSTOMER"), made.serverId), /ask your provider/);
  const again = await retryBuild(db, reseller, made.serverId);
  assert.equal((await settle(again.jobId)).state, "FAILED");
  assert.equal((await db.vServer.findUniqueOrThrow({ where: { id: made.serverId } })).state, "ERROR");
  // Deleted: the address goes back and nothing is left anywhere.
  assert.equal((await settle((await requestPower(db, reseller, made.serverId, "terminate")).jobId)).state, "SUCCEEDED");
  assert.equal(await db.vServer.count(), before.servers);
  assert.equal(await db.ipAddress.count(), before.addresses);
  fs.rmSync(mirrorDir, { recursive: true, force: true });
});

test("a skeleton has no system to start: asking to start it is refused before anything is made", async () => {
  await assert.rejects(
    createServer(db, reseller, { customerId, planId, hostname: "skel.example.com", method: "skeleton", start: true }),
    (e: { field?: string }) => e.field === "start",
  );
  assert.equal(await db.vServer.count({ where: { hostname: "skel.example.com" } }), 0);
});

test("reinstall keeps the name, address and limits; an admin makes a template and a new server is built from it", async () => {
  const server = await db.vServer.findFirstOrThrow({ where: { hostname: "web1.example.com" }, include: { addresses: true } });
  assert.equal((await settle((await requestPower(db, reseller, server.id, "start")).jobId)).state, "SUCCEEDED");
  await agent.execInVserver({ name: server.name, argv: ["/bin/sh", "-c", "echo old > /root/marker"] });
  const job = await settle((await requestReinstall(db, reseller, server.id, { method: "busybox" })).jobId);
  assert.equal(job.state, "SUCCEEDED", job.error ?? "");
  const info = await agent.getVserver({ name: server.name });
  assert.equal(info.state, "running");
  assert.deepEqual(info.interfaces.map((i) => i.address), server.addresses.map((a) => a.address));
  assert.equal(info.limits.memory, server.memoryMb * 1024 * 1024);
  const marker = await agent.execInVserver({ name: server.name, argv: ["/bin/sh", "-c", "cat /root/marker 2>/dev/null || echo gone"] });
  assert.equal(marker.stdout.trim(), "gone", "the root is fresh");

  await assert.rejects(requestTemplateExport(db, admin, server.id, { template: "web-base" }), /stop the server first/);
  assert.equal((await settle((await requestPower(db, reseller, server.id, "stop")).jobId)).state, "SUCCEEDED");
  const exported = await settle((await requestTemplateExport(db, admin, server.id, { template: "web-base" })).jobId);
  assert.equal(exported.state, "SUCCEEDED", exported.error ?? "");
  assert.ok(await db.osTemplate.findFirst({ where: { hostId, name: "web-base" } }), "the template is mirrored in the panel");
  assert.equal((await settle((await requestPower(db, reseller, server.id, "start")).jobId)).state, "SUCCEEDED");

  const copy = await createServer(db, reseller, { customerId, planId, hostname: "copy.example.com", method: "template", distribution: "web-base" });
  const built = await settle(copy.jobId);
  assert.equal(built.state, "SUCCEEDED", built.error ?? "");
  assert.equal((await agent.execInVserver({ name: copy.name, argv: ["hostname"] })).stdout.trim(), "copy.example.com");
  assert.equal((await settle((await requestPower(db, reseller, copy.serverId, "terminate")).jobId)).state, "SUCCEEDED");
  await assert.rejects(createServer(db, reseller, { customerId, planId, hostname: "x.example.com", method: "template", distribution: "no-such-template" }), /no host has room/);
});

test("unify on a host whose servers each have their own disk image says so and shares nothing", async () => {
  const job = await settle((await requestUnify(db, admin, hostId)).jobId);
  assert.equal(job.state, "SUCCEEDED", job.error ?? "");
  const { report } = await agent.getUnifyReport({});
  assert.equal(report?.savedBytes, 0);
  await assert.rejects(requestUnify(db, reseller, hostId), /Not found/);
});

test("terminate removes the server on the host and returns its address", async () => {
  const server = await db.vServer.findFirstOrThrow({ where: { hostname: "web1.example.com" } });
  const job = await settle((await requestPower(db, reseller, server.id, "terminate")).jobId);
  assert.equal(job.state, "SUCCEEDED", job.error ?? "");
  assert.equal(await db.vServer.count({ where: { id: server.id } }), 0);
  assert.equal(await db.ipAddress.count(), 0);
  assert.equal((await agent.listVservers({})).vservers.length, 0);
});

test("only an admin provisions a server with shared uids (less safe); the host builds it so", async () => {
  await assert.rejects(
    createServer(db, reseller, { customerId, planId, hostname: "shared.example.com", userNamespace: false }),
    (e: { field?: string; message: string }) => e.field === "userNamespace" && /only admins/.test(e.message),
  );
  assert.equal(await db.vServer.count(), 0, "a refused request makes nothing");
  const made = await createServer(db, admin, { customerId, planId, hostname: "shared.example.com", method: "busybox", userNamespace: false });
  const job = await settle(made.jobId);
  assert.equal(job.state, "SUCCEEDED", job.error ?? "");
  assert.equal((await agent.getVserver({ name: made.name })).userNamespace, false);
  assert.equal((await db.vServer.findUniqueOrThrow({ where: { id: made.serverId } })).userNamespace, false);
  const map = await agent.execInVserver({ name: made.name, argv: ["cat", "/proc/self/uid_map"] });
  assert.match(map.stdout, /^\s*0\s+0\s+4294967295\s*$/, "guest root is host root");
  assert.equal((await settle((await requestPower(db, admin, made.serverId, "terminate")).jobId)).state, "SUCCEEDED");
});
