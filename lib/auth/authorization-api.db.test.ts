/**
 * The REST API's authorization matrix through its real dispatcher and a real database:
 * every operation of the registry (a new one fails here until it is in the table) with
 * the admin's token, each reseller's token on its own and on the other tenant's
 * objects, tokens that exist for a customer and a support user, no token, and a valid
 * session cookie instead of a token. Lists show a reseller only its own objects.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { encode } from "next-auth/jwt";
import { dispatchApi } from "@/lib/api/v1/dispatch";
import { apiOperations } from "@/lib/api/v1/registry";
import { db } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { databaseTarget } from "@/lib/db/url";
import { panelSecret } from "@/lib/env";
import { apiCases } from "./testing/api-cases";
import { startFakeAgent, type FakeAgent } from "./testing/fake-agent";
import { createFakeAgentHost } from "./testing/fake-agent-host";
import { answerBackups } from "./testing/backup-fixtures";
import { seedTenants, type Tenants } from "./testing/tenants";

process.env.NEXTAUTH_SECRET ??= "authorization-test-secret-of-enough-length-0123456789";

let fx: Tenants;
let agent: FakeAgent;
let adminCookie = "";

before(async () => {
  await migrate(databaseTarget());
  agent = await startFakeAgent();
  answerBackups(agent);
  const hostId = await createFakeAgentHost(db(), agent, "api-authz-host");
  fx = await seedTenants(db(), hostId);
  const jwt = await encode({ token: { uid: fx.adminId, role: "ADMIN", sv: 0, loginAt: Date.now(), email: fx.adminEmail }, secret: panelSecret() });
  adminCookie = `next-auth.session-token=${jwt}`;
});
after(async () => {
  await agent?.close();
  await db().$disconnect();
});

function call(method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<Response> {
  const req = new Request(`http://panel.test/api/v1${path}`, {
    method,
    headers: { "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return dispatchApi(req, path.split("?")[0]!.split("/").filter(Boolean));
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

test("every REST operation is in the matrix", () => {
  const covered = new Set(apiCases.map((c) => c.operationId));
  assert.deepEqual(apiOperations.map((o) => o.operationId).filter((id) => !covered.has(id)), [], "add these to lib/auth/testing/api-cases.ts and docs/authorization.md");
  assert.equal(covered.size, apiCases.length);
});

for (const c of apiCases) {
  test(`${c.operationId}: admin, resellers on own and other tenant's objects, non-provider tokens, no token, a cookie`, async () => {
    const op = apiOperations.find((o) => o.operationId === c.operationId)!;
    const wrong: string[] = [];
    const check = async (who: string, headers: Record<string, string>, req: { path: string; body?: unknown }, want: number) => {
      const res = await call(op.method, req.path, headers, req.body ?? (op.body ? {} : undefined));
      if (res.status !== want) wrong.push(`${who}: expected ${want}, got ${res.status} ${(await res.text()).slice(0, 160)}`);
      await db().job.deleteMany({ where: { state: "QUEUED" } });
    };
    await check("admin", bearer(fx.adminToken), await c.request(db(), fx.a, "admin"), op.status);
    const own = c.adminOnly ? 403 : op.status;
    const foreign = c.adminOnly ? 403 : 404;
    await check("reseller A on A", bearer(fx.a.token), await c.request(db(), fx.a, "reseller"), own);
    await check("reseller B on B", bearer(fx.b.token), await c.request(db(), fx.b, "reseller"), own);
    if (c.targeted) {
      await check("reseller A on B", bearer(fx.a.token), await c.request(db(), fx.b, "reseller"), foreign);
      await check("reseller B on A", bearer(fx.b.token), await c.request(db(), fx.a, "reseller"), foreign);
    }
    const req = await c.request(db(), fx.a, "admin");
    await check("a customer's token", bearer(fx.customerToken), req, 401);
    await check("a support user's token", bearer(fx.supportToken), req, 401);
    await check("no token", {}, req, 401);
    await check("an admin's session cookie instead of a token", { cookie: adminCookie }, req, 401);
    assert.deepEqual(wrong, []);
  });
}

test("lists show a reseller its own objects only", async () => {
  const ids = async (token: string, path: string) => ((await (await call("GET", path, bearer(token))).json()) as { items: { id: string }[] }).items.map((i) => i.id);
  const serversA = await ids(fx.a.token, "/servers?pageSize=200");
  assert.ok(serversA.includes(fx.a.serverId) && !serversA.includes(fx.b.serverId));
  const customersB = await ids(fx.b.token, "/customers?pageSize=200");
  assert.ok(customersB.includes(fx.b.customerId) && !customersB.includes(fx.a.customerId));
  const plansA = await ids(fx.a.token, "/plans?pageSize=200");
  assert.ok(plansA.includes(fx.a.planId) && plansA.includes(fx.housePlanId) && !plansA.includes(fx.b.planId));
  // Asking for another tenant's rows by filter gives nothing either.
  assert.deepEqual(await ids(fx.a.token, `/servers?ownerId=${fx.b.customerId}`), []);
});

test("ids of the other tenant inside bodies are refused with 404 naming the field, and change nothing", async () => {
  const before = await db().vServer.count();
  const res = await call("POST", "/servers", bearer(fx.a.token), { customerId: fx.a.customerId, planId: fx.b.planId, hostname: "x.authz.test" });
  assert.equal(res.status, 404);
  assert.equal(((await res.json()) as { error: { field: string } }).error.field, "planId");
  const plan = await call("POST", `/servers/${fx.a.serverId}/change-plan`, bearer(fx.a.token), { planId: fx.b.planId });
  assert.equal(plan.status, 404);
  assert.equal(await db().vServer.count(), before);
});
