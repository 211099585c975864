/**
 * The REST API through its real dispatcher and a real database: token authentication
 * (none, unknown, revoked, expired → 401), tenant isolation (another reseller's
 * customer → 404), validation errors naming the field, and the OpenAPI document
 * covering every operation.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { db } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { databaseTarget } from "@/lib/db/url";
import { cliActor } from "@/lib/server/actor";
import { createApiToken } from "@/lib/server/api-tokens/api-tokens";
import { dispatchApi } from "./dispatch";
import { openApiDocument } from "./openapi";
import { apiOperations } from "./registry";

let tokenA: string;
let tokenB: string;
let adminToken: string;

function call(method: string, path: string, token: string | null, body?: unknown): Promise<Response> {
  const req = new Request(`http://panel.test/api/v1${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return dispatchApi(req, path.split("?")[0]!.split("/").filter(Boolean));
}

before(async () => {
  await migrate(databaseTarget());
  const mk = (email: string, role: "ADMIN" | "RESELLER") => db().user.create({ data: { email, role, passwordHash: "x" } });
  const [admin, a, b] = await Promise.all([mk("api-admin@example.com", "ADMIN"), mk("api-ra@example.com", "RESELLER"), mk("api-rb@example.com", "RESELLER")]);
  adminToken = (await createApiToken(db(), cliActor(admin.id, "ADMIN"), { name: "admin" })).token;
  tokenA = (await createApiToken(db(), cliActor(a.id, "RESELLER"), { name: "billing" })).token;
  tokenB = (await createApiToken(db(), cliActor(b.id, "RESELLER"), { name: "billing" })).token;
});
after(async () => {
  await db().$disconnect();
});

test("no token, an unknown one, a revoked one or an expired one get 401", async () => {
  assert.equal((await call("GET", "/customers", null)).status, 401);
  assert.equal((await call("GET", "/customers", "vsp_nope")).status, 401);
  const admin = await db().user.findUniqueOrThrow({ where: { email: "api-admin@example.com" } });
  const revoked = await createApiToken(db(), cliActor(admin.id), { name: "old" });
  await db().apiToken.update({ where: { id: revoked.id }, data: { revokedAt: new Date() } });
  assert.equal((await call("GET", "/customers", revoked.token)).status, 401);
  const expired = await createApiToken(db(), cliActor(admin.id), { name: "exp", expiresInDays: 1 });
  await db().apiToken.update({ where: { id: expired.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
  assert.equal((await call("GET", "/customers", expired.token)).status, 401);
});

test("a reseller creates and manages its customers; another reseller gets 404", async () => {
  const res = await call("POST", "/customers", tokenA, { email: "Cust1@Example.com", name: "Cust One" });
  assert.equal(res.status, 201);
  const created = (await res.json()) as { customer: { id: string; email: string; role: string }; generatedPassword: string };
  assert.equal(created.customer.email, "cust1@example.com");
  assert.equal(created.customer.role, "CUSTOMER");
  assert.ok(created.generatedPassword.length >= 20);
  const id = created.customer.id;

  assert.equal((await call("GET", `/customers/${id}`, tokenA)).status, 200);
  assert.equal((await call("GET", `/customers/${id}`, tokenB)).status, 404);
  assert.equal((await call("POST", `/customers/${id}/suspend`, tokenB)).status, 404);
  assert.equal((await call("DELETE", `/customers/${id}`, tokenB)).status, 404);
  const listB = (await (await call("GET", "/customers", tokenB)).json()) as { total: number };
  assert.equal(listB.total, 0);

  const suspended = (await (await call("POST", `/customers/${id}/suspend`, tokenA)).json()) as { status: string };
  assert.equal(suspended.status, "SUSPENDED");
  assert.equal(((await (await call("POST", `/customers/${id}/unsuspend`, tokenA)).json()) as { status: string }).status, "ACTIVE");
  const audit = await db().auditLog.findFirst({ where: { action: "user.suspend", targetId: id } });
  assert.equal(audit?.actorType, "API_TOKEN");
  assert.equal((await call("DELETE", `/customers/${id}`, tokenA)).status, 200);
  assert.equal((await call("GET", `/customers/${id}`, tokenA)).status, 404);
});

test("bad input is a 400 naming the field and changes nothing", async () => {
  const before = await db().user.count();
  const res = await call("POST", "/customers", tokenA, { email: "not an email" });
  assert.equal(res.status, 400);
  assert.equal(((await res.json()) as { error: { field: string } }).error.field, "email");
  const extra = await call("POST", "/customers", tokenA, { email: "x@example.com", role: "ADMIN" });
  assert.equal(extra.status, 400, "unknown fields (a reseller trying to make an admin) are refused");
  const plan = await call("POST", "/plans", tokenA, { name: "P", cpuMilli: 2000, cpuMilliMax: 1000, memoryMb: 512, memoryMbMax: 512, diskMb: 1000, diskMbMax: 1000, pids: 100, pidsMax: 100 });
  assert.equal(plan.status, 400);
  assert.equal(((await plan.json()) as { error: { field: string } }).error.field, "cpuMilli");
  assert.equal(await db().user.count(), before);
  assert.equal((await call("GET", "/nope", tokenA)).status, 404);
  assert.equal((await call("PATCH", "/plans", tokenA)).status, 400);
});

test("plans: a reseller sees the house's and its own, not another reseller's", async () => {
  const spec = { cpuMilli: 500, cpuMilliMax: 1000, memoryMb: 512, memoryMbMax: 1024, diskMb: 5000, diskMbMax: 10000, pids: 100, pidsMax: 200 };
  assert.equal((await call("POST", "/plans", adminToken, { name: "House S", ...spec })).status, 201);
  // A reseller's own plans need a quota (its per-server bounds come from there).
  assert.equal((await call("POST", "/plans", tokenA, { name: "A special", ...spec })).status, 422);
  const a = await db().user.findUniqueOrThrow({ where: { email: "api-ra@example.com" } });
  await db().resellerQuota.create({ data: { resellerId: a.id, maxServers: 1 } });
  assert.equal((await call("POST", "/plans", tokenA, { name: "A special", ...spec })).status, 201);
  const names = async (token: string) => ((await (await call("GET", "/plans", token)).json()) as { items: { name: string }[] }).items.map((p) => p.name).sort();
  assert.deepEqual(await names(tokenA), ["A special", "House S"]);
  assert.deepEqual(await names(tokenB), ["House S"]);
});

test("the OpenAPI document lists every operation once with its schemas", () => {
  const doc = openApiDocument("http://panel.test") as { paths: Record<string, Record<string, { operationId: string; responses: object }>> };
  const ids = Object.values(doc.paths).flatMap((p) => Object.values(p).map((o) => o.operationId));
  assert.deepEqual(ids.sort(), apiOperations.map((o) => o.operationId).sort());
  assert.equal(new Set(ids).size, ids.length);
  assert.ok(doc.paths["/customers/{id}"]?.get);
});
