/**
 * The checks before a move (issue 16): admins only; an address whose pool is not linked
 * to the target is refused naming the address and the pool; an offline target or one
 * without room is refused; a good request queues one `server.migrate` job, audited, and
 * a second one while it is queued is refused. Nothing is queued by a refused request.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { createDb, type Db } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { databaseTarget } from "@/lib/db/url";
import { refusal } from "@/lib/testing/refusal";
import type { Actor } from "@/lib/server/actor";
import { requestMigration } from "./request-migration";
import { listMigrationTargets } from "./migration-targets";

process.env.NEXTAUTH_SECRET ??= "migration-test-secret-of-enough-length-0123456";

let db: Db;
const tag = crypto.randomBytes(3).toString("hex");
let admin: Actor;
let customer: Actor;
let serverId = "";
let sourceId = "";
let targetId = "";
let poolId = "";

const actor = (userId: string, role: Actor["role"]): Actor => ({ userId, role, via: "session", ip: null, userAgent: null });

const host = (name: string, memoryMb: number) =>
  db.host.create({ data: { name: `${name}-${tag}`, endpoint: "https://192.0.2.1:7443", credentialHash: "x", credentialCiphertext: "x", tlsCaPem: "-----BEGIN CERTIFICATE-----", status: "ONLINE", cpuCores: 4, memoryMb, maxServers: 10 } });

before(async () => {
  await migrate(databaseTarget());
  db = createDb();
  admin = actor((await db.user.create({ data: { email: `mig-admin-${tag}@t.test`, role: "ADMIN", passwordHash: "x" } })).id, "ADMIN");
  const c = await db.user.create({ data: { email: `mig-customer-${tag}@t.test`, role: "CUSTOMER", passwordHash: "x" } });
  customer = actor(c.id, "CUSTOMER");
  sourceId = (await host("mig-src", 4096)).id;
  targetId = (await host("mig-dst", 4096)).id;
  const octet = crypto.randomInt(1, 250);
  poolId = (await db.ipPool.create({ data: { name: `mig-pool-${tag}`, family: "IPV4", cidr: `100.66.${octet}.0/24`, assignPrefix: 32, hosts: { create: [{ hostId: sourceId }] } } })).id;
  const server = await db.vServer.create({ data: { name: `mig${tag}`, hostname: `mig${tag}.t.test`, contextId: 100, hostId: sourceId, ownerId: c.id, state: "RUNNING", cpuMilli: 100, memoryMb: 64, diskMb: 64, pids: 64 } });
  serverId = server.id;
  await db.ipAddress.create({ data: { poolId, family: "IPV4", address: `100.66.${octet}.5`, prefix: 32, vserverId: serverId } });
});

after(async () => {
  await db?.$disconnect();
});

test("a move is checked before anything is queued: admins only, pools linked, target online and with room; then one job, audited", async () => {
  assert.equal((await refusal(requestMigration(db, customer, serverId, { targetHostId: targetId }))).code, "FORBIDDEN");

  const pools = await refusal(requestMigration(db, admin, serverId, { targetHostId: targetId }));
  assert.equal(pools.code, "CONFLICT");
  assert.match(pools.message, new RegExp(`100\\.66\\.\\d+\\.5 cannot move .*pool mig-pool-${tag} is not linked.*or choose new addresses`));
  const noPool = await refusal(requestMigration(db, admin, serverId, { targetHostId: targetId, newAddresses: true }));
  assert.equal(noPool.field, "newAddresses", "new addresses, but the target has no IPv4 pool");
  assert.match(noPool.message, /has no IPv4 pool/);
  const [offered] = (await listMigrationTargets(db, admin, serverId)).filter((t) => t.id === targetId);
  assert.deepEqual(offered?.changingAddresses, [(await db.ipAddress.findFirstOrThrow({ where: { vserverId: serverId } })).address]);
  assert.equal(offered?.refusal, "no IPv4 pool there for a new address");
  await db.ipPoolHost.create({ data: { poolId, hostId: targetId } });

  await db.host.update({ where: { id: targetId }, data: { status: "OFFLINE" } });
  assert.equal((await refusal(requestMigration(db, admin, serverId, { targetHostId: targetId }))).code, "HOST_OFFLINE");
  await db.host.update({ where: { id: targetId }, data: { status: "ONLINE" } });

  await db.host.update({ where: { id: targetId }, data: { memoryMb: 32 } });
  assert.match((await refusal(requestMigration(db, admin, serverId, { targetHostId: targetId }))).message, /no host has room.*memory free/);
  assert.equal((await refusal(requestMigration(db, admin, serverId, { targetHostId: sourceId }))).code, "BAD_REQUEST", "its own host");
  assert.equal(await db.job.count({ where: { vserverId: serverId } }), 0, "nothing was queued by a refusal");

  await db.host.update({ where: { id: targetId }, data: { memoryMb: 4096 } });
  const { jobId } = await requestMigration(db, admin, serverId, { targetHostId: targetId });
  const job = await db.job.findUniqueOrThrow({ where: { id: jobId } });
  assert.equal(job.type, "server.migrate");
  assert.equal(job.hostId, sourceId);
  assert.equal(JSON.parse(job.payload).targetHostId, targetId);
  assert.equal(await db.auditLog.count({ where: { action: "vserver.migrate", targetId: serverId } }), 1);
  assert.equal((await refusal(requestMigration(db, admin, serverId, { targetHostId: targetId }))).code, "CONFLICT", "a second move while one is queued");
  assert.deepEqual(JSON.parse(job.payload).replaceAddressIds, [], "no address changes when its pool is linked to the target");
});

test("new addresses on a target without the server's pool: offered, then chosen; the job names the address that changes", async () => {
  const dst = (await host("mig-new", 4096)).id;
  const octet = crypto.randomInt(1, 250);
  await db.ipPool.create({ data: { name: `mig-dst-pool-${tag}`, family: "IPV4", cidr: `100.68.${octet}.0/24`, assignPrefix: 32, hosts: { create: [{ hostId: dst }] } } });
  await db.job.deleteMany({ where: { vserverId: serverId } });
  const [offered] = (await listMigrationTargets(db, admin, serverId)).filter((t) => t.id === dst);
  assert.equal(offered?.refusal, null);
  assert.equal(offered?.changingAddresses.length, 1);
  assert.match((await refusal(requestMigration(db, admin, serverId, { targetHostId: dst }))).message, /or choose new addresses/);
  const { jobId } = await requestMigration(db, admin, serverId, { targetHostId: dst, newAddresses: true });
  const old = await db.ipAddress.findFirstOrThrow({ where: { vserverId: serverId } });
  assert.deepEqual(JSON.parse((await db.job.findUniqueOrThrow({ where: { id: jobId } })).payload).replaceAddressIds, [old.id]);
  const entry = await db.auditLog.findFirstOrThrow({ where: { action: "vserver.migrate", targetId: serverId, details: { contains: jobId } } });
  assert.match(entry.details, new RegExp(old.address.replace(/\./g, "\\.")));
});
