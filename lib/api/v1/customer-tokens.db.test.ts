/**
 * Customers' API tokens through the real dispatcher and database: a customer makes a
 * token only with scopes; it reaches the customer's own servers (another customer's
 * server or job is 404), only the operations a customer may use (403 otherwise) and
 * only those its scopes allow (403); a reseller's token cannot be given scopes. The
 * OpenAPI document marks each operation's roles and the customer scope.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { db } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { databaseTarget } from "@/lib/db/url";
import { hostCredentialPurpose, panelSecret } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { seal } from "@/lib/security/secret-box";
import type { Actor } from "@/lib/server/actor";
import { createApiToken, listApiTokens } from "@/lib/server/api-tokens/api-tokens";
import { pointAtFakePowerDns } from "@/lib/server/dns/testing/fake-powerdns";
import { dispatchApi } from "./dispatch";
import { openApiDocument } from "./openapi";
import { apiOperations } from "./registry";
import { customerOperationScopes } from "./role-access";

// The host row seals a credential with the panel secret.
process.env.NEXTAUTH_SECRET ??= "customer-tokens-test-secret-of-enough-length-0123";
const tag = Date.now().toString(36);
const session = (userId: string, role: Actor["role"]): Actor => ({ userId, role, via: "session", ip: null, userAgent: null });
let alice: Actor;
let bob: Actor;
let reseller: Actor;
let aliceServer = "";
let bobServer = "";
let bobJob = "";

function call(method: string, path: string, token: string, body?: unknown): Promise<Response> {
  const req = new Request(`http://panel.test/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return dispatchApi(req, path.split("?")[0]!.split("/").filter(Boolean));
}

before(async () => {
  await migrate(databaseTarget());
  const r = await db().user.create({ data: { email: `ct-res-${tag}@example.com`, role: "RESELLER", passwordHash: "x" } });
  const a = await db().user.create({ data: { email: `ct-alice-${tag}@example.com`, role: "CUSTOMER", passwordHash: "x", resellerId: r.id } });
  const b = await db().user.create({ data: { email: `ct-bob-${tag}@example.com`, role: "CUSTOMER", passwordHash: "x", resellerId: r.id } });
  reseller = session(r.id, "RESELLER");
  alice = session(a.id, "CUSTOMER");
  bob = session(b.id, "CUSTOMER");
  const host = await db().host.create({ data: { name: `ct-${tag}`, endpoint: "unix:/nonexistent", credentialHash: "x", credentialCiphertext: seal(panelSecret(), hostCredentialPurpose, "x") } });
  const mk = (name: string, ownerId: string, contextId: number) =>
    db().vServer.create({ data: { name, contextId, hostname: `${name}.test`, hostId: host.id, ownerId, cpuMilli: 100, memoryMb: 64, diskMb: 64, pids: 32, state: "RUNNING" } });
  aliceServer = (await mk(`cta${tag}`, a.id, 6100)).id;
  bobServer = (await mk(`ctb${tag}`, b.id, 6101)).id;
  bobJob = (await db().job.create({ data: { type: "server.start", vserverId: bobServer, hostId: host.id, createdById: b.id, state: "SUCCEEDED" } })).id;
});
after(async () => {
  await db().$disconnect();
});

test("a customer's token needs scopes; a reseller's token cannot have them", async () => {
  await assert.rejects(createApiToken(db(), alice, { name: "none" }), (e: unknown) => e instanceof AppError && e.field === "scopes");
  await assert.rejects(createApiToken(db(), alice, { name: "bad", scopes: ["servers:delete"] }), (e: unknown) => e instanceof AppError && e.field?.startsWith("scopes") === true);
  await assert.rejects(createApiToken(db(), reseller, { name: "r", scopes: ["servers:read"] }), (e: unknown) => e instanceof AppError && e.field === "scopes");
  const t = await createApiToken(db(), alice, { name: "ro", scopes: ["servers:read"], expiresInDays: 30 });
  const mine = await listApiTokens(db(), alice);
  assert.deepEqual(mine.map((x) => [x.id, x.scopes]), [[t.id, "servers:read"]]);
  assert.equal((await listApiTokens(db(), bob)).length, 0);
});

test("a read-only customer token lists and reads only its own servers; another customer's server or job is 404", async () => {
  const { token } = await createApiToken(db(), alice, { name: "read", scopes: ["servers:read"] });
  const list = (await (await call("GET", "/servers", token)).json()) as { items: { id: string }[] };
  assert.deepEqual(list.items.map((s) => s.id), [aliceServer]);
  assert.equal((await call("GET", `/servers/${aliceServer}`, token)).status, 200);
  assert.equal((await call("GET", `/servers/${bobServer}`, token)).status, 404);
  assert.equal((await call("GET", `/servers/${bobServer}/traffic`, token)).status, 404);
  assert.equal((await call("GET", `/jobs/${bobJob}`, token)).status, 404);
});

test("without the power scope a customer token cannot start its own server (403); with it another customer's server is 404", async () => {
  const read = await createApiToken(db(), alice, { name: "read2", scopes: ["servers:read"] });
  const denied = await call("POST", `/servers/${aliceServer}/stop`, read.token, {});
  assert.equal(denied.status, 403);
  assert.match(((await denied.json()) as { error: { message: string } }).error.message, /servers:power/);
  const power = await createApiToken(db(), alice, { name: "power", scopes: ["servers:power"] });
  assert.equal((await call("POST", `/servers/${bobServer}/stop`, power.token, {})).status, 404);
  assert.equal((await call("GET", `/servers/${aliceServer}`, power.token)).status, 403, "power alone does not read");
  const stop = await call("POST", `/servers/${aliceServer}/stop`, power.token, {});
  assert.equal(stop.status, 202);
  assert.equal((await db().vServer.findUniqueOrThrow({ where: { id: aliceServer } })).desiredState, "STOPPED");
  const entry = await db().auditLog.findFirst({ where: { action: "vserver.stop", targetId: aliceServer } });
  assert.equal(entry?.actorType, "API_TOKEN");
});

test("reverse DNS by a customer token: reading needs servers:read, setting needs servers:reverse-dns, on its own servers only", async () => {
  await pointAtFakePowerDns(db());
  const pool = await db().ipPool.create({ data: { name: `ct-rdns-${tag}`, family: "IPV4", cidr: "198.51.100.0/24", assignPrefix: 32 } });
  try {
    await db().ipAddress.create({ data: { poolId: pool.id, family: "IPV4", address: "198.51.100.7", prefix: 32, vserverId: aliceServer } });
    const read = await createApiToken(db(), alice, { name: "rdns-read", scopes: ["servers:read"] });
    const got = await call("GET", `/servers/${aliceServer}/reverse-dns`, read.token);
    assert.equal(got.status, 200);
    assert.equal(((await got.json()) as { enabled: boolean }).enabled, true);
    const body = { address: "198.51.100.7", name: null };
    const denied = await call("POST", `/servers/${aliceServer}/reverse-dns`, read.token, body);
    assert.equal(denied.status, 403);
    assert.match(((await denied.json()) as { error: { message: string } }).error.message, /servers:reverse-dns/);
    const rdns = await createApiToken(db(), alice, { name: "rdns", scopes: ["servers:reverse-dns"] });
    assert.equal((await call("POST", `/servers/${aliceServer}/reverse-dns`, rdns.token, body)).status, 200);
    assert.equal((await call("POST", `/servers/${bobServer}/reverse-dns`, rdns.token, body)).status, 404);
    const bad = await call("POST", `/servers/${aliceServer}/reverse-dns`, rdns.token, { address: "198.51.100.7", name: "no_underscores.example" });
    assert.equal(bad.status, 400);
    assert.equal(((await bad.json()) as { error: { field?: string } }).error.field, "name");
  } finally {
    await db().ipAddress.deleteMany({ where: { poolId: pool.id } });
    await db().ipPool.delete({ where: { id: pool.id } });
    await db().setting.deleteMany({ where: { key: "dns.powerdns" } });
  }
});

test("a customer token with every scope still cannot use provider operations (403) nor terminate", async () => {
  const all = await createApiToken(db(), alice, { name: "all", scopes: ["servers:read", "servers:power", "servers:reinstall"] });
  for (const [method, path] of [
    ["GET", "/customers"],
    ["POST", "/plans"],
    ["DELETE", `/servers/${aliceServer}`],
    ["POST", `/servers/${aliceServer}/suspend`],
  ] as const) {
    assert.equal((await call(method, path, all.token, method === "GET" ? undefined : {})).status, 403, `${method} ${path}`);
  }
  assert.equal((await call("POST", `/servers/${bobServer}/reinstall`, all.token, { method: "busybox" })).status, 404);
  assert.equal(await db().vServer.count({ where: { id: aliceServer } }), 1);
});

test("the OpenAPI document marks each operation's roles and a customer's scope, and every scoped operation exists", () => {
  const doc = openApiDocument("http://panel.test") as { paths: Record<string, Record<string, { operationId: string; "x-roles": string[]; "x-customer-scope"?: string }>> };
  const ops = Object.values(doc.paths).flatMap((p) => Object.values(p));
  for (const id of Object.keys(customerOperationScopes)) assert.ok(apiOperations.some((o) => o.operationId === id), `${id} is an operation`);
  const byId = new Map(ops.map((o) => [o.operationId, o]));
  assert.deepEqual(byId.get("getServer")?.["x-roles"], ["ADMIN", "RESELLER", "CUSTOMER"]);
  assert.equal(byId.get("getServer")?.["x-customer-scope"], "servers:read");
  assert.deepEqual(byId.get("createCustomer")?.["x-roles"], ["ADMIN", "RESELLER"]);
  assert.equal(byId.get("terminateServer")?.["x-customer-scope"], undefined);
  assert.ok(ops.every((o) => Array.isArray(o["x-roles"]) && o["x-roles"].length > 0));
});
