/**
 * What a hosting business changes on a server it sold, end to end below the browser on
 * the real kernel (a real agent on a temporary host, SQLite, the real job runner): plan
 * up- and downgrades (live limits; the disk with a stop and start the user confirmed
 * first, since this host's agent cannot grow ext4 online; a shrink the data does not fit
 * refused with nothing changed; one limit refused changes none), a customer's direct
 * change and its request that the reseller approves, slider changes whose host refusal
 * names the slider, and addresses added and removed live, reached from the host.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { after, before, test } from "node:test";
import type { AgentClient } from "@/lib/agent-client";
import type { Db } from "@/lib/db/client";
import { startPanelOnTempHost, type PanelOnTempHost } from "@/lib/server/testing/panel-on-temp-host";
import { AppError } from "@/lib/errors";
import { cliActor, type Actor } from "@/lib/server/actor";
import { createPool } from "@/lib/server/ip-pools/create-pool";
import { createPlan } from "@/lib/server/plans/create-plan";
import { addServerAddress } from "./add-server-address";
import { changePlan, previewPlanChange } from "./change-plan";
import { decidePlanChange, requestPlanChange } from "./plan-change-requests";
import { createServer } from "./provision/create-server";
import { removeServerAddress } from "./remove-server-address";
import { setServerLimits } from "./set-server-limits";

const MiB = 1024 * 1024;
let p: PanelOnTempHost;
let db: Db;
let agent: AgentClient;
let reseller: Actor;
let customer: Actor;
let customerId: string;
const plans: Record<string, string> = {};
let server: { id: string; name: string };
const settle = (jobId: string) => p.settle(jobId);

function refusedOn(field: string, message?: RegExp) {
  return (e: unknown) => e instanceof AppError && e.field === field && (!message || message.test(e.message));
}

/** Whether the host reaches `address` (the server's routed address) with one ping. */
function reaches(address: string): boolean {
  try {
    return execFileSync("ping", ["-n", "-c", "1", "-W", "2", address], { encoding: "utf8" }).includes("1 received");
  } catch {
    return false;
  }
}

async function inside(cmd: string): Promise<string> {
  const r = await agent.execInVserver({ name: server.name, argv: ["/bin/sh", "-c", cmd] });
  assert.equal(r.exitCode, 0, r.stderr);
  return r.stdout;
}

/** The root's size in MiB as the guest's df sees it. */
async function diskMbInside(): Promise<number> {
  const line = (await inside("df -m / | tail -1")).trim().split(/\s+/);
  return Number(line[1]);
}

before(async () => {
  p = await startPanelOnTempHost();
  db = p.db;
  agent = p.agent();
  const hostId = p.hostId;
  const a = await db.user.create({ data: { email: "biz-admin@example.com", role: "ADMIN", passwordHash: "x" } });
  const r = await db.user.create({ data: { email: "biz-reseller@example.com", role: "RESELLER", passwordHash: "x" } });
  customerId = (await db.user.create({ data: { email: "biz-customer@example.com", role: "CUSTOMER", passwordHash: "x", resellerId: r.id } })).id;
  const admin = cliActor(a.id, "ADMIN");
  reseller = cliActor(r.id, "RESELLER");
  customer = cliActor(customerId, "CUSTOMER");
  await db.resellerQuota.create({ data: { resellerId: r.id, maxServers: 3, maxCpuMilli: 4000, maxMemoryMb: 2048, maxDiskMb: 4096, maxIpv4: 6, maxIpv6: 4 } });
  await createPool(db, admin, { name: "biz-v4", cidr: "10.244.11.0/28", gateway: "10.244.11.1", hostIds: [hostId] });
  await createPool(db, admin, { name: "biz-v6", cidr: "fd44:11::/64", assignPrefix: 128, hostIds: [hostId] });
  const base = { cpuMilliMax: 2000, memoryMbMax: 512, swapMbMax: 0, diskMbMax: 256, pidsMax: 512 };
  plans.small = (await createPlan(db, admin, { ...base, name: "Small", cpuMilli: 500, memoryMb: 128, diskMb: 64, pids: 128, ipv4Count: 1, ipv4Max: 3, ipv6Max: 2, customerSelectable: true })).id;
  plans.big = (await createPlan(db, admin, { ...base, name: "Big", cpuMilli: 1000, memoryMb: 256, diskMb: 128, pids: 256, ipv4Count: 2, ipv4Max: 3, ipv6Max: 2 })).id;
  plans.roomy = (await createPlan(db, admin, { ...base, name: "Roomy", cpuMilli: 1000, memoryMb: 256, diskMb: 256, pids: 256, ipv4Count: 1, ipv4Max: 3, ipv6Max: 2 })).id;
  const made = await createServer(db, reseller, { customerId, planId: plans.small, hostname: "biz.example.com", method: "busybox" });
  assert.equal((await settle(made.jobId)).state, "SUCCEEDED");
  server = { id: made.serverId, name: made.name };
});

after(async () => {
  await p?.stop();
});

test("an upgrade says in advance that the disk needs a stop and start here, refuses without the confirmation, and does it with it", async () => {
  const preview = await previewPlanChange(db, reseller, server.id, plans.big!);
  assert.equal(preview.disk, "restart", "this agent lacks CAP_SYS_RESOURCE: no online ext4 grow");
  assert.match(preview.restartNotice ?? "", /stopped, its disk grown to 128 MB, and started again/);
  assert.deepEqual(preview.addAddresses, { ipv4: 1, ipv6: 0 });
  await assert.rejects(changePlan(db, reseller, server.id, { planId: plans.big! }), refusedOn("confirmRestart"));
  assert.equal((await agent.getVserver({ name: server.name })).limits.memory, 128 * MiB, "nothing changed");

  const { jobId, restart } = await changePlan(db, reseller, server.id, { planId: plans.big!, confirmRestart: true });
  assert.equal(restart, true);
  const job = await settle(jobId);
  assert.equal(job.state, "SUCCEEDED", job.error ?? "");
  const info = await agent.getVserver({ name: server.name });
  assert.equal(info.state, "running");
  assert.deepEqual([info.limits.cpu, info.limits.memory, info.limits.pids, info.limits.diskBytes], [1, 256 * MiB, 256, 128 * MiB]);
  assert.ok((await diskMbInside()) > 100, "the guest's root is the bigger one");
  const row = await db.vServer.findUniqueOrThrow({ where: { id: server.id }, include: { addresses: true } });
  assert.deepEqual([row.planId, row.memoryMb, row.diskMb, row.addresses.length], [plans.big, 256, 128, 2]);
  for (const a of row.addresses) assert.ok(reaches(a.address), `the host reaches ${a.address}`);
});

test("a refusal of one limit changes none: a disk grow the host refuses leaves CPU and memory as they were", async () => {
  // This host says (falsely) that it grows disks online; the agent then refuses the grow
  // of the running server's image, and must take back the memory it set in the same call.
  const real = (await db.host.findUniqueOrThrow({ where: { id: p.hostId } })).capabilities;
  await db.host.update({ where: { id: p.hostId }, data: { capabilities: JSON.stringify({ ...JSON.parse(real), onlineDiskGrow: true }) } });
  try {
    const { jobId } = await changePlan(db, reseller, server.id, { planId: plans.roomy! });
    const job = await settle(jobId);
    assert.equal(job.state, "FAILED");
    assert.match(job.error ?? "", /CAP_SYS_RESOURCE/);
    const info = await agent.getVserver({ name: server.name });
    assert.deepEqual([info.state, info.limits.memory, info.limits.diskBytes], ["running", 256 * MiB, 128 * MiB]);
    assert.equal((await db.vServer.findUniqueOrThrow({ where: { id: server.id } })).planId, plans.big);
  } finally {
    await db.host.update({ where: { id: p.hostId }, data: { capabilities: real } });
  }
});

test("a downgrade whose disk the files do not fit is refused and everything is put back; once they fit, it goes through", async () => {
  await inside("dd if=/dev/zero of=/root/fill bs=1M count=80 2>/dev/null; sync");
  const { jobId } = await changePlan(db, customer, server.id, { planId: plans.small!, confirmRestart: true });
  const refused = await settle(jobId);
  assert.equal(refused.state, "FAILED");
  assert.match(refused.error ?? "", /too small/);
  let info = await agent.getVserver({ name: server.name });
  assert.deepEqual([info.state, info.limits.memory, info.limits.cpu, info.limits.diskBytes], ["running", 256 * MiB, 1, 128 * MiB], "memory and CPU put back, started again");
  await inside("rm /root/fill; sync");
  const ok = await settle((await changePlan(db, customer, server.id, { planId: plans.small!, confirmRestart: true })).jobId);
  assert.equal(ok.state, "SUCCEEDED", ok.error ?? "");
  info = await agent.getVserver({ name: server.name });
  assert.deepEqual([info.state, info.limits.memory, info.limits.cpu, info.limits.pids, info.limits.diskBytes], ["running", 128 * MiB, 0.5, 128, 64 * MiB]);
  assert.ok((await diskMbInside()) < 64, "the guest's root is the smaller one");
  const row = await db.vServer.findUniqueOrThrow({ where: { id: server.id }, include: { addresses: true } });
  assert.equal(row.addresses.length, 2, "a downgrade leaves the extra address (nothing cut off)");
});

test("a customer asks for a plan its provider chooses; the reseller approves and the change is made", async () => {
  await assert.rejects(changePlan(db, customer, server.id, { planId: plans.roomy!, confirmRestart: true }), refusedOn("planId", /send a request/));
  const request = await requestPlanChange(db, customer, server.id, { planId: plans.roomy!, note: "more disk please" });
  await assert.rejects(requestPlanChange(db, customer, server.id, { planId: plans.big! }), /waiting for an answer/);
  await assert.rejects(decidePlanChange(db, customer, request.id, { approve: true }), /only the customer's provider/);
  await assert.rejects(decidePlanChange(db, reseller, request.id, { approve: true }), refusedOn("confirmRestart"));
  const decided = await decidePlanChange(db, reseller, request.id, { approve: true, answer: "done", confirmRestart: true });
  assert.equal(decided.state, "APPROVED");
  assert.equal((await settle(decided.jobId!)).state, "SUCCEEDED");
  assert.equal((await agent.getVserver({ name: server.name })).limits.diskBytes, 256 * MiB);
  await assert.rejects(decidePlanChange(db, reseller, request.id, { approve: false }), /approved already/);
});

test("sliders: a host's refusal names the slider; a disk shrink (which needs a stop) is said first and done when confirmed", async () => {
  // A tmpfs file the guest holds is charged to its memory (its /dev/shm takes 64 MiB at
  // most): below that, the host refuses.
  await inside("dd if=/dev/zero of=/dev/shm/hold bs=1M count=60 2>/dev/null");
  await assert.rejects(setServerLimits(db, customer, server.id, { memoryMb: 32 }), refusedOn("memoryMb", /host refused/));
  assert.equal((await agent.getVserver({ name: server.name })).limits.memory, 256 * MiB);
  await inside("rm /dev/shm/hold");
  const live = await setServerLimits(db, customer, server.id, { memoryMb: 192, pids: 200 });
  assert.equal(live.applied, "now");
  assert.deepEqual([(await agent.getVserver({ name: server.name })).limits.memory, (await agent.getVserver({ name: server.name })).limits.pids], [192 * MiB, 200]);
  await assert.rejects(setServerLimits(db, customer, server.id, { diskMb: 240 }), refusedOn("diskMb", /stopped, its disk shrunk to 240 MB/));
  const queued = await setServerLimits(db, customer, server.id, { diskMb: 240, confirmRestart: true });
  assert.equal(queued.applied, "job");
  assert.equal((await settle((queued as { jobId: string }).jobId)).state, "SUCCEEDED");
  assert.equal((await agent.getVserver({ name: server.name })).limits.diskBytes, 240 * MiB);
});

test("addresses: added and removed live, reached from the host; the plan's maximum and missing pools are said", async () => {
  const v6 = await addServerAddress(db, customer, server.id, { family: "IPV6" });
  assert.equal(v6.prefix, 128);
  assert.ok(reaches(v6.address), "the new IPv6 address answers at once");
  const v4 = await addServerAddress(db, customer, server.id, { family: "IPV4" });
  assert.ok(reaches(v4.address), "the new IPv4 address answers at once");
  assert.ok((await inside("ip -o addr")).includes(v4.address), "the guest has it");
  await assert.rejects(addServerAddress(db, customer, server.id, { family: "IPV4" }), refusedOn("family", /allows 3 IPv4/));
  await removeServerAddress(db, customer, server.id, v4.id);
  assert.ok(!reaches(v4.address), "a removed address answers no more");
  assert.equal(await db.ipAddress.count({ where: { address: v4.address } }), 0, "back in the pool");
  await removeServerAddress(db, reseller, server.id, v6.id);
  assert.ok(!(await agent.getVserver({ name: server.name })).interfaces.some((i) => i.address === v6.address));
  await db.ipPoolHost.deleteMany({ where: { pool: { family: "IPV6" } } });
  await assert.rejects(addServerAddress(db, customer, server.id, { family: "IPV6" }), refusedOn("family", /has no IPv6 pool/));
});
