/**
 * Address allocation on a real database: pools of both families, /64 per server,
 * reserved and gateway addresses skipped, exhaustion with a clear error and nothing
 * taken, and no address handed out twice under concurrent requests from several
 * clients (separate connections, as several panel instances would have).
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createDb, type Db } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { databaseTarget } from "@/lib/db/url";
import type { Actor } from "@/lib/server/actor";
import { allocateAddresses, releaseAddresses } from "./allocate-addresses";
import { createPool } from "./create-pool";
import { listPools } from "./list-pools";

let db: Db;
let hostId: string;
let admin: Actor;

before(async () => {
  await migrate(databaseTarget());
  db = createDb();
  const user = await db.user.create({ data: { email: "pool-admin@example.com", role: "ADMIN", passwordHash: "x" } });
  admin = { userId: user.id, role: "ADMIN", via: "session", ip: null, userAgent: null };
  hostId = (await db.host.create({ data: { name: "pool-host", endpoint: "unix:/x", credentialHash: "h", credentialCiphertext: "c" } })).id;
});
after(async () => {
  await db.$disconnect();
});

test("pools validate their network and report free/used", async () => {
  await assert.rejects(createPool(db, admin, { name: "bad", cidr: "192.0.2.1/24", hostIds: [hostId] }), /cidr: has host bits set/);
  await assert.rejects(createPool(db, admin, { name: "bad", cidr: "192.0.2.0/24", gateway: "198.51.100.1", hostIds: [hostId] }), /gateway: must be an address inside/);
  await assert.rejects(createPool(db, admin, { name: "bad", cidr: "192.0.2.0/24", hostIds: ["nope"] }), (e: { field?: string }) => e.field === "hostIds");
  await assert.rejects(createPool(db, { ...admin, role: "RESELLER" }, { name: "x", cidr: "192.0.2.0/24" }), /Not found/);
  await createPool(db, admin, { name: "v4-small", cidr: "192.0.2.0/29", gateway: "192.0.2.1", reserved: ["192.0.2.6"], hostIds: [hostId] });
  const [pool] = await listPools(db, admin);
  assert.equal(pool?.used, 0);
  assert.equal(pool?.free, "4", "8 - network - broadcast - gateway - reserved");
});

test("allocation skips gateway and reserved, and exhaustion takes nothing", async () => {
  const got = await allocateAddresses(db, hostId, "IPV4", 3, null);
  assert.deepEqual(got.map((a) => a.address), ["192.0.2.2", "192.0.2.3", "192.0.2.4"]);
  await assert.rejects(allocateAddresses(db, hostId, "IPV4", 2, null), /not enough free IPv4 addresses/);
  assert.equal(await db.ipAddress.count(), 3, "the failed request took nothing");
  await releaseAddresses(db, [got[1]!.id]);
  const again = await allocateAddresses(db, hostId, "IPV4", 1, null);
  assert.equal(again[0]?.address, "192.0.2.3", "a released address goes back to the pool");
  await releaseAddresses(db, [...got, ...again].map((a) => a.id));
});

test("IPv6 pools hand out a /64 per server", async () => {
  await createPool(db, admin, { name: "v6-64", cidr: "2001:db8:100::/48", assignPrefix: 64, hostIds: [hostId] });
  const got = await allocateAddresses(db, hostId, "IPV6", 2, null);
  assert.deepEqual(got.map((a) => `${a.address}/${a.prefix}`), ["2001:db8:100::/64", "2001:db8:100:1::/64"]);
  await releaseAddresses(db, got.map((a) => a.id));
});

test("concurrent requests from several clients never get the same address", async () => {
  await createPool(db, admin, { name: "v4-race", cidr: "10.99.0.0/24", hostIds: [] });
  const race = await db.ipPool.findUniqueOrThrow({ where: { name: "v4-race" } });
  const raceHost = (await db.host.create({ data: { name: "race-host", endpoint: "unix:/y", credentialHash: "h", credentialCiphertext: "c" } })).id;
  await db.ipPoolHost.create({ data: { poolId: race.id, hostId: raceHost } });
  const clients = Array.from({ length: 4 }, () => createDb());
  try {
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => allocateAddresses(clients[i % clients.length]!, raceHost, "IPV4", 2, null)),
    );
    const addresses = results.flat().map((a) => a.address);
    assert.equal(addresses.length, 80);
    assert.equal(new Set(addresses).size, 80, "no address was handed out twice");
    assert.equal(await db.ipAddress.count({ where: { poolId: race.id } }), 80);
  } finally {
    await Promise.all(clients.map((c) => c.$disconnect()));
  }
});
