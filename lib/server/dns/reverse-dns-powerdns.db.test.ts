/**
 * Reverse DNS end to end against a real PowerDNS (pdns_server, gsqlite3, on loopback,
 * started and stopped here): the admin sets the endpoint (key sealed) and links pools,
 * a customer sets the PTR of its IPv4 address and of a name inside its IPv6 /64, and
 * `dig -x` asked of that PowerDNS answers the name; bad input and other tenants' ids
 * change nothing; forward confirmation warns; the record goes when the address returns.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { startFakeAgent, type FakeAgent } from "@/lib/auth/testing/fake-agent";
import { createFakeAgentHost } from "@/lib/auth/testing/fake-agent-host";
import { seedTenants, sessionActor, type Tenants } from "@/lib/auth/testing/tenants";
import { createDb, type Db } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { databaseTarget } from "@/lib/db/url";
import type { AppError } from "@/lib/errors";
import { removeServerAddress } from "@/lib/server/vservers/remove-server-address";
import { clearReleasedReverseDns } from "./clear-released-reverse-dns";
import { linkPoolReverseZones } from "./link-pool-reverse-zones";
import { getServerReverseDns } from "./list-reverse-dns";
import { savePowerDnsSettings } from "./save-powerdns-settings";
import { setReverseDns } from "./set-reverse-dns";
import { startLoopbackPowerDns, type LoopbackPowerDns } from "./testing/powerdns-on-loopback";

process.env.NEXTAUTH_SECRET ??= "reverse-dns-test-secret-of-enough-length-0123456789";

let db: Db;
let agent: FakeAgent;
let pdns: LoopbackPowerDns;
let fx: Tenants;
const octet = crypto.randomInt(1, 250);
const v4 = { pool: `198.18.${octet}.64/26`, a: `198.18.${octet}.66`, b: `198.18.${octet}.67` };
const hex = octet.toString(16);
const v6 = { pool: `2001:db8:${hex}::/48`, prefix: `2001:db8:${hex}:1::`, inside: `2001:db8:${hex}:1::25` };
let v4AddressId: string;
let v6PoolId: string;
let v4PoolId: string;

const field = (name: string) => (e: unknown) => (e as AppError).field === name;

before(async () => {
  await migrate(databaseTarget());
  db = createDb();
  pdns = await startLoopbackPowerDns();
  agent = await startFakeAgent();
  const hostId = await createFakeAgentHost(db, agent, `rdns-host-${crypto.randomBytes(3).toString("hex")}`);
  fx = await seedTenants(db, hostId);
  v4PoolId = (await db.ipPool.create({ data: { name: `rdns-v4-${fx.tag}`, family: "IPV4", cidr: v4.pool, assignPrefix: 32 } })).id;
  v6PoolId = (await db.ipPool.create({ data: { name: `rdns-v6-${fx.tag}`, family: "IPV6", cidr: v6.pool, assignPrefix: 64 } })).id;
  v4AddressId = (await db.ipAddress.create({ data: { poolId: v4PoolId, family: "IPV4", address: v4.a, prefix: 32, vserverId: fx.a.serverId } })).id;
  await db.ipAddress.create({ data: { poolId: v6PoolId, family: "IPV6", address: v6.prefix, prefix: 64, vserverId: fx.a.serverId } });
  await db.ipAddress.create({ data: { poolId: v4PoolId, family: "IPV4", address: v4.b, prefix: 32, vserverId: fx.b.serverId } });
});
after(async () => {
  await db?.ipAddress.deleteMany({ where: { poolId: { in: [v4PoolId, v6PoolId].filter(Boolean) } } });
  await db?.ipPool.deleteMany({ where: { id: { in: [v4PoolId, v6PoolId].filter(Boolean) } } });
  await db?.setting.deleteMany({ where: { key: "dns.powerdns" } });
  await agent?.close();
  await pdns?.stop();
  await db?.$disconnect();
});

test("without a PowerDNS endpoint reverse DNS is off: nothing to list, and setting a record says so", async () => {
  await db.setting.deleteMany({ where: { key: "dns.powerdns" } });
  assert.equal(await getServerReverseDns(db, sessionActor(fx, "customerA"), fx.a.serverId), null);
  await assert.rejects(setReverseDns(db, sessionActor(fx, "customerA"), fx.a.serverId, { address: v4.a, name: "mail.example.com" }), /reverse DNS is not set up/);
});

test("only an admin sets the endpoint; the API key is stored sealed", async () => {
  await assert.rejects(savePowerDnsSettings(db, sessionActor(fx, "resellerA"), { url: pdns.url, serverId: "localhost", apiKey: pdns.apiKey }), /Not found/);
  await assert.rejects(savePowerDnsSettings(db, sessionActor(fx, "admin"), { url: "ftp://127.0.0.1", serverId: "localhost", apiKey: "k" }), field("url"));
  await assert.rejects(savePowerDnsSettings(db, sessionActor(fx, "admin"), { url: pdns.url, serverId: "localhost", apiKey: "" }), field("apiKey"));
  await savePowerDnsSettings(db, sessionActor(fx, "admin"), { url: `${pdns.url}/`, serverId: "localhost", apiKey: pdns.apiKey });
  const stored = (await db.setting.findUniqueOrThrow({ where: { key: "dns.powerdns" } })).value;
  assert.ok(!stored.includes(pdns.apiKey), "the key is not stored in the clear");
});

test("an address of a pool the admin has not linked cannot get a PTR yet", async () => {
  await assert.rejects(setReverseDns(db, sessionActor(fx, "customerA"), fx.a.serverId, { address: v4.a, name: "mail.example.com" }), /not enabled for the pool/);
});

test("linking pools creates their reverse zones (a /26 gets its /24; a /48 its nibble zone), admins only", async () => {
  await assert.rejects(linkPoolReverseZones(db, sessionActor(fx, "resellerA"), v4PoolId), /only admins/);
  const four = await linkPoolReverseZones(db, sessionActor(fx, "admin"), v4PoolId);
  assert.deepEqual(four.zones, [{ name: `${octet}.18.198.in-addr.arpa.`, created: true }]);
  const six = await linkPoolReverseZones(db, sessionActor(fx, "admin"), v6PoolId);
  assert.equal(six.zones.length, 1);
  assert.match(six.zones[0]!.name, /\.8\.b\.d\.0\.1\.0\.0\.2\.ip6\.arpa\.$/);
  assert.deepEqual((await linkPoolReverseZones(db, sessionActor(fx, "admin"), v4PoolId)).zones[0]?.created, false, "linking twice keeps the zone");
});

test("the customer sets the PTR of its IPv4 address and dig -x answers the name", async () => {
  const r = await setReverseDns(db, sessionActor(fx, "customerA"), fx.a.serverId, { address: v4.a, name: "Mail.Customer-A.example." }, { checkForward: false });
  assert.equal(r.name, "mail.customer-a.example");
  assert.equal(r.ptr, `66.${octet}.18.198.in-addr.arpa.`);
  assert.deepEqual(await pdns.digReverse(v4.a), ["mail.customer-a.example"]);
});

test("inside its IPv6 /64 the customer names any address; the nibble name is computed", async () => {
  await setReverseDns(db, sessionActor(fx, "customerA"), fx.a.serverId, { address: v6.inside, name: "v6.customer-a.example" }, { checkForward: false });
  assert.deepEqual(await pdns.digReverse(v6.inside), ["v6.customer-a.example"]);
  const listed = await getServerReverseDns(db, sessionActor(fx, "customerA"), fx.a.serverId);
  assert.ok(listed && "addresses" in listed);
  const six = listed.addresses.find((a) => a.family === "IPV6");
  assert.deepEqual(six?.records, [{ address: v6.inside, name: "v6.customer-a.example" }]);
  assert.equal(six?.zoneReady, true);
});

test("bad names, foreign addresses and other tenants' servers are refused and change nothing", async () => {
  const customer = sessionActor(fx, "customerA");
  await assert.rejects(setReverseDns(db, customer, fx.a.serverId, { address: v4.a, name: `${"a".repeat(64)}.example.com` }), (e: AppError) => e.field === "name" && /longer than 63/.test(e.message));
  await assert.rejects(setReverseDns(db, customer, fx.a.serverId, { address: v4.a, name: "bad_name.example.com" }), field("name"));
  await assert.rejects(setReverseDns(db, customer, fx.a.serverId, { address: v4.a, name: "localhost" }), field("name"));
  await assert.rejects(setReverseDns(db, customer, fx.a.serverId, { address: "198.18.0.999", name: "x.example.com" }), field("address"));
  await assert.rejects(setReverseDns(db, customer, fx.a.serverId, { address: v4.b, name: "steal.example.com" }), (e: AppError) => e.field === "address" && /not an address of this server/.test(e.message));
  await assert.rejects(setReverseDns(db, customer, fx.b.serverId, { address: v4.b, name: "steal.example.com" }), /Server not found/);
  await assert.rejects(setReverseDns(db, sessionActor(fx, "resellerB"), fx.a.serverId, { address: v4.a, name: "steal.example.com" }), /Server not found/);
  await assert.rejects(getServerReverseDns(db, sessionActor(fx, "customerB"), fx.a.serverId), /Server not found/);
  await assert.rejects(setReverseDns(db, sessionActor(fx, "support"), fx.a.serverId, { address: v4.a, name: "support.example.com" }), /support staff cannot change/);
  assert.deepEqual(await pdns.digReverse(v4.a), ["mail.customer-a.example"], "the record is as the customer set it");
  assert.deepEqual(await pdns.digReverse(v4.b), [], "nothing was set on the other tenant's address");
});

test("the reseller and the admin set the PTR of their customers' addresses", async () => {
  await setReverseDns(db, sessionActor(fx, "resellerA"), fx.a.serverId, { address: v4.a, name: "reseller.example.net" }, { checkForward: false });
  assert.deepEqual(await pdns.digReverse(v4.a), ["reseller.example.net"]);
  await setReverseDns(db, sessionActor(fx, "admin"), fx.b.serverId, { address: v4.b, name: "admin.example.net" }, { checkForward: false });
  assert.deepEqual(await pdns.digReverse(v4.b), ["admin.example.net"]);
});

test("forward confirmation: a warning when the name does not resolve back, none when it does; the record is set either way", async () => {
  const zone = `fwd-${fx.tag}.test.`;
  const api = (method: string, path: string, body: unknown) =>
    fetch(`${pdns.url}/api/v1/servers/localhost${path}`, { method, headers: { "X-API-Key": pdns.apiKey }, body: JSON.stringify(body) });
  assert.equal((await api("POST", "/zones", { name: zone, kind: "Native", nameservers: [] })).status, 201);
  assert.equal((await api("PATCH", `/zones/${zone}`, { rrsets: [{ name: `mail.${zone}`, type: "A", ttl: 60, changetype: "REPLACE", records: [{ content: v4.a, disabled: false }] }] })).status, 204);
  const resolverServers = [`127.0.0.1:${pdns.dnsPort}`];
  const good = await setReverseDns(db, sessionActor(fx, "customerA"), fx.a.serverId, { address: v4.a, name: `mail.${zone}` }, { resolverServers });
  assert.equal(good.warning, null);
  const bad = await setReverseDns(db, sessionActor(fx, "customerA"), fx.a.serverId, { address: v4.a, name: `nothing.${zone}` }, { resolverServers });
  assert.match(bad.warning ?? "", /does not resolve|has no A record/);
  assert.deepEqual(await pdns.digReverse(v4.a), [`nothing.${zone}`.replace(/\.$/, "")]);
});

test("an unreachable PowerDNS gives a clear error and the server's listing reports it", async () => {
  const closed = "http://127.0.0.1:9";
  // The stored key is never sent to another server the URL is changed to: it is typed again.
  await assert.rejects(savePowerDnsSettings(db, sessionActor(fx, "admin"), { url: closed, serverId: "localhost", apiKey: "" }), field("apiKey"));
  await assert.rejects(savePowerDnsSettings(db, sessionActor(fx, "admin"), { url: "http://admin:secret@127.0.0.1:9", serverId: "localhost", apiKey: "k" }), field("url"));
  await savePowerDnsSettings(db, sessionActor(fx, "admin"), { url: closed, serverId: "localhost", apiKey: pdns.apiKey });
  try {
    await assert.rejects(setReverseDns(db, sessionActor(fx, "customerA"), fx.a.serverId, { address: v4.a, name: "x.example.com" }), (e: AppError) => e.field === "dns" && /cannot be reached/.test(e.message));
    const listed = await getServerReverseDns(db, sessionActor(fx, "customerA"), fx.a.serverId);
    assert.ok(listed && "error" in listed && /cannot be reached/.test(listed.error));
  } finally {
    await savePowerDnsSettings(db, sessionActor(fx, "admin"), { url: pdns.url, serverId: "localhost", apiKey: pdns.apiKey });
  }
  await savePowerDnsSettings(db, sessionActor(fx, "admin"), { url: pdns.url, serverId: "localhost", apiKey: "wrong-key" });
  try {
    await assert.rejects(setReverseDns(db, sessionActor(fx, "customerA"), fx.a.serverId, { address: v4.a, name: "x.example.com" }), /refused the API key/);
  } finally {
    await savePowerDnsSettings(db, sessionActor(fx, "admin"), { url: pdns.url, serverId: "localhost", apiKey: pdns.apiKey });
  }
});

test("removing an address returns it to its pool and removes its PTR record", async () => {
  await setReverseDns(db, sessionActor(fx, "customerA"), fx.a.serverId, { address: v4.a, name: "gone.example.com" }, { checkForward: false });
  assert.deepEqual(await pdns.digReverse(v4.a), ["gone.example.com"]);
  await removeServerAddress(db, sessionActor(fx, "customerA"), fx.a.serverId, v4AddressId);
  assert.equal(await db.ipAddress.count({ where: { id: v4AddressId } }), 0);
  assert.deepEqual(await pdns.digReverse(v4.a), []);
  assert.deepEqual(await pdns.digReverse(v4.b), ["admin.example.net"], "the neighbour's record stays");
});

test("releasing an IPv6 prefix removes every PTR inside it", async () => {
  const other = `2001:db8:${hex}:1::26`;
  await setReverseDns(db, sessionActor(fx, "customerA"), fx.a.serverId, { address: other, name: "second.customer-a.example" }, { checkForward: false });
  assert.equal(await clearReleasedReverseDns(db, [{ address: v6.prefix, prefix: 64, pool: { cidr: v6.pool } }], fx.a.serverId), 2);
  assert.deepEqual(await pdns.digReverse(v6.inside), []);
  assert.deepEqual(await pdns.digReverse(other), []);
});
