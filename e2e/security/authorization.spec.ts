/**
 * The panel's authorization matrix on the real server: every page route (read from
 * app/**\/page.tsx, so a new page fails here until it has a row) requested as admin,
 * support, reseller and customer of tenant A and of tenant B, and signed out, with the
 * dynamic segments filled with each tenant's real ids, an unknown id, and the other
 * tenant's ids. Each ends exactly as docs/authorization.md says (200, 404, or a
 * redirect to the login page or to the role's home), and a 404 for another tenant's id
 * shows nothing of it. Then server actions posted to the real server with the other
 * tenant's ids are refused the same way, and change nothing, and live watches over
 * socket.io of the other tenant's server or job get "not found" and no data.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { io } from "socket.io-client";
import type { Db } from "@/lib/db/client";
import { homeFor, type RoleName } from "@/lib/auth/roles";
import type { Tenant, Tenants } from "@/lib/auth/testing/tenants";
import { actionResult, getPage, postAction, serverActionId, type Cookie } from "./testing/http-session";
import { matrixRoles, stackDb, stackTenants, type MatrixRole } from "./testing/stack-tenants";

type Outcome = 200 | 404 | "login" | "home";

/** Per page: admin, support, reseller [own, other tenant], customer [own, other], signed out. */
interface PageRule {
  admin: Outcome;
  support: Outcome;
  reseller: [Outcome, Outcome];
  customer: [Outcome, Outcome];
  anonymous: Outcome;
}

const adminOnly: PageRule = { admin: 200, support: 404, reseller: [404, 404], customer: [404, 404], anonymous: "login" };
const resellerOnly: PageRule = { admin: 404, support: 404, reseller: [200, 200], customer: [404, 404], anonymous: "login" };
const everyone: PageRule = { admin: 200, support: 200, reseller: [200, 200], customer: [200, 200], anonymous: "login" };
const byOwner: PageRule = { admin: 200, support: 200, reseller: [200, 404], customer: [200, 404], anonymous: "login" };

/** The table of docs/authorization.md, by route pattern. */
const pageRules: Record<string, PageRule> = {
  "/": { admin: "home", support: "home", reseller: ["home", "home"], customer: ["home", "home"], anonymous: "login" },
  "/login": { admin: "home", support: "home", reseller: ["home", "home"], customer: ["home", "home"], anonymous: 200 },
  "/two-factor/setup": { admin: "home", support: "home", reseller: ["home", "home"], customer: ["home", "home"], anonymous: "login" },
  "/forgot-password": { admin: "home", support: "home", reseller: ["home", "home"], customer: ["home", "home"], anonymous: 200 },
  "/password/change": { admin: "home", support: "home", reseller: ["home", "home"], customer: ["home", "home"], anonymous: "login" },
  // A valid link is 200 for anyone who has it; the matrix can only try invalid ones.
  "/reset-password/[token]": { admin: 404, support: 404, reseller: [404, 404], customer: [404, 404], anonymous: 404 },
  "/account": everyone,
  // A customer's own scoped tokens; admins and resellers have theirs under /admin and /reseller.
  "/account/tokens": { admin: 404, support: 404, reseller: [404, 404], customer: [200, 200], anonymous: "login" },
  "/notifications": everyone,
  "/admin": adminOnly,
  "/admin/audit": adminOnly,
  "/admin/backups": adminOnly,
  "/admin/hosts": adminOnly,
  "/admin/ip-pools": adminOnly,
  "/admin/ip-pools/[poolId]": adminOnly,
  "/admin/reverse-dns": adminOnly,
  "/admin/plans": adminOnly,
  "/admin/plans/[planId]": adminOnly,
  "/admin/security": adminOnly,
  "/admin/tokens": adminOnly,
  "/admin/users": adminOnly,
  "/admin/users/[userId]": adminOnly,
  "/jobs/[jobId]": byOwner,
  "/reseller": resellerOnly,
  "/reseller/customers": resellerOnly,
  "/reseller/customers/[userId]": { admin: 404, support: 404, reseller: [200, 404], customer: [404, 404], anonymous: "login" },
  "/reseller/plans": resellerOnly,
  "/reseller/plans/[planId]": { admin: 404, support: 404, reseller: [200, 404], customer: [404, 404], anonymous: "login" },
  "/requests": { admin: 200, support: 404, reseller: [200, 200], customer: [404, 404], anonymous: "login" },
  "/reseller/tokens": resellerOnly,
  "/servers": everyone,
  "/servers/new": { admin: 200, support: 404, reseller: [200, 200], customer: [404, 404], anonymous: "login" },
  "/servers/[serverId]": byOwner,
  "/servers/[serverId]/console": byOwner,
  // Support reads the list of backups (not the files in them).
  "/servers/[serverId]/backups": byOwner,
  "/support": { admin: 404, support: 200, reseller: [404, 404], customer: [404, 404], anonymous: "login" },
  "/support/jobs": { admin: 200, support: 200, reseller: [404, 404], customer: [404, 404], anonymous: "login" },
  "/support/processes": { admin: 200, support: 200, reseller: [404, 404], customer: [404, 404], anonymous: "login" },
};

/** Every page route of the app, from the file system (route groups dropped). */
function pageRoutes(): string[] {
  const app = path.resolve("app");
  const out: string[] = [];
  for (const e of fs.readdirSync(app, { recursive: true, withFileTypes: true })) {
    if (!e.isFile() || e.name !== "page.tsx") continue;
    const segments = path.relative(app, e.parentPath).split(path.sep).filter((s) => s && !/^\(.*\)$/.test(s));
    out.push(`/${segments.join("/")}`);
  }
  return out.sort();
}

let db: Db;
let fx: Tenants;
let cookies: Record<MatrixRole, Cookie | undefined>;
const roleOf: Record<Exclude<MatrixRole, "anonymous">, RoleName> = {
  admin: "ADMIN",
  support: "SUPPORT",
  resellerA: "RESELLER",
  resellerB: "RESELLER",
  customerA: "CUSTOMER",
  customerB: "CUSTOMER",
};

before(async () => {
  db = stackDb();
  ({ fx, cookies } = await stackTenants(db));
});
after(async () => {
  await db?.$disconnect();
});

function fill(route: string, t: Tenant, unknown = false): string {
  const id = (real: string) => (unknown ? `c${"0".repeat(24)}` : real);
  return route
    .replace("[serverId]", id(t.serverId))
    .replace("[jobId]", id(t.jobId))
    .replace("[userId]", id(t.customerId))
    .replace("[poolId]", id(fx.poolId))
    .replace("[planId]", id(t.planId));
}

function outcomeOf(a: { status: number; location: string | null }, role: MatrixRole): Outcome | string {
  if (a.status === 200 || a.status === 404) return a.status;
  if (a.status >= 300 && a.status < 400) {
    if (a.location === "/login") return "login";
    if (role !== "anonymous" && a.location === homeFor[roleOf[role]]) return "home";
    return `redirect to ${a.location}`;
  }
  return `status ${a.status}`;
}

function expected(rule: PageRule, role: MatrixRole, relation: 0 | 1): Outcome {
  if (role === "admin" || role === "support" || role === "anonymous") return rule[role];
  return (role.startsWith("reseller") ? rule.reseller : rule.customer)[relation];
}

test("every page route has a row in the authorization table", () => {
  const routes = pageRoutes();
  assert.deepEqual(routes.filter((r) => !(r in pageRules)), [], "add these routes to pageRules here and to docs/authorization.md");
  assert.deepEqual(Object.keys(pageRules).filter((r) => !routes.includes(r)), [], "rows for routes that no longer exist");
});

test("every page as every role, with its own tenant's ids and the other tenant's", async () => {
  const wrong: string[] = [];
  let requests = 0;
  for (const route of pageRoutes()) {
    const rule = pageRules[route]!;
    for (const role of matrixRoles) {
      const mine = role.endsWith("B") ? fx.b : fx.a;
      const theirs = role.endsWith("B") ? fx.a : fx.b;
      const dynamic = route.includes("[");
      for (const relation of dynamic ? ([0, 1] as const) : ([0] as const)) {
        const t = relation === 0 ? mine : theirs;
        const target = fill(route, t);
        const answer = await getPage(target, cookies[role]);
        requests++;
        const got = outcomeOf(answer, role);
        const want = expected(rule, role, relation);
        if (got !== want) wrong.push(`${role} ${target}: expected ${want}, got ${got}`);
        if (got === 404 && dynamic && relation === 1) {
          for (const secret of [t.customerEmail, `authz-${t === fx.a ? "a" : "b"}-${fx.tag}`]) {
            if (answer.body.includes(secret)) wrong.push(`${role} ${target}: the 404 page shows ${secret}`);
          }
        }
      }
    }
  }
  assert.deepEqual(wrong, []);
  assert.ok(requests > 150, `${requests} requests`);
});

test("an id that does not exist is a 404 for every role, like another tenant's", async () => {
  const wrong: string[] = [];
  for (const route of pageRoutes().filter((r) => r.includes("["))) {
    for (const role of matrixRoles.filter((r) => r !== "anonymous")) {
      const answer = await getPage(fill(route, fx.a, true), cookies[role]);
      if (answer.status !== 404) wrong.push(`${role} ${route} with an unknown id: ${answer.status}`);
    }
  }
  assert.deepEqual(wrong, []);
});

test("server actions posted with the other tenant's ids are refused like the pages, and change nothing", async () => {
  const power = serverActionId("lib/actions/servers/power-action.ts", "powerAction");
  const limits = serverActionId("lib/actions/servers/set-limits-action.ts", "setLimitsAction");
  const status = serverActionId("lib/actions/users/user-actions.ts", "setUserStatusAction");
  const remove = serverActionId("lib/actions/users/user-actions.ts", "deleteUserAction");
  const revoke = serverActionId("lib/actions/tokens/token-actions.ts", "revokeTokenAction");
  const origin = { origin: new URL(process.env.E2E_BASE_URL!).origin };
  const jobsBefore = await db.job.count({ where: { vserverId: { in: [fx.a.serverId, fx.b.serverId] } } });
  const cases: [MatrixRole, string, { id: string }, unknown[], RegExp][] = [
    ["customerA", `/servers/${fx.a.serverId}`, power, [fx.b.serverId, "stop"], /Server not found/],
    ["customerA", `/servers/${fx.a.serverId}`, limits, [fx.b.serverId, { memoryMb: 512 }], /Server not found/],
    ["customerB", `/servers/${fx.b.serverId}`, power, [fx.a.serverId, "restart"], /Server not found/],
    ["resellerA", `/servers/${fx.a.serverId}`, power, [fx.b.serverId, "terminate"], /Server not found/],
    ["resellerA", `/reseller/customers/${fx.a.customerId}`, status, [fx.b.customerId, "SUSPENDED"], /User not found/],
    ["resellerA", `/reseller/customers/${fx.a.customerId}`, remove, [fx.b.customerId], /User not found/],
    ["resellerA", "/reseller/tokens", revoke, [fx.b.tokenId], /Token not found/],
    ["customerA", "/reseller/tokens", revoke, [fx.a.tokenId], /Token not found/],
    ["customerA", `/servers/${fx.a.serverId}`, power, [fx.a.serverId, "suspend"], /ask your provider/],
    ["support", `/servers/${fx.a.serverId}`, power, [fx.a.serverId, "stop"], /support staff cannot change servers/],
  ];
  const wrong: string[] = [];
  for (const [role, page, action, args, message] of cases) {
    const answer = await postAction(page, action.id, args, { ...origin, ...(cookies[role] ? { cookie: cookies[role]! } : {}) });
    const result = actionResult(answer.text);
    if (!result || result.ok !== false || !message.test(result.message ?? "")) wrong.push(`${role} ${JSON.stringify(args)}: ${answer.status} ${JSON.stringify(result) ?? answer.text.slice(0, 200)}`);
  }
  // Signed out, an action post does not even reach the action: it is sent to the login page.
  const anonymous = await postAction(`/servers/${fx.a.serverId}`, power.id, [fx.a.serverId, "stop"], origin);
  if (anonymous.status !== 307 && actionResult(anonymous.text)?.ok !== false) wrong.push(`anonymous: ${anonymous.status} ${anonymous.text.slice(0, 200)}`);
  assert.deepEqual(wrong, []);
  assert.equal(await db.job.count({ where: { vserverId: { in: [fx.a.serverId, fx.b.serverId] } } }), jobsBefore, "no job was queued");
  const [a, b] = await Promise.all([db.user.findUniqueOrThrow({ where: { id: fx.a.customerId } }), db.user.findUniqueOrThrow({ where: { id: fx.b.customerId } })]);
  assert.deepEqual([a.status, b.status], ["ACTIVE", "ACTIVE"]);
  assert.equal((await db.apiToken.findUniqueOrThrow({ where: { id: fx.b.tokenId } })).revokedAt, null);
  // The same call by the owner itself goes through (the refusals above were not a broken call).
  const own = actionResult((await postAction(`/servers/${fx.a.serverId}`, power.id, [fx.a.serverId, "restart"], { ...origin, cookie: cookies.customerA! })).text);
  assert.equal(own?.ok, true, JSON.stringify(own));
  await db.job.deleteMany({ where: { vserverId: fx.a.serverId, state: "QUEUED" } });
});

test("socket.io watches of the other tenant's server or job get 'not found' and no data", async () => {
  const socket = io(process.env.E2E_BASE_URL!, { transports: ["websocket"], extraHeaders: { cookie: cookies.customerA! }, reconnection: false });
  const messages: { type: string; about?: string; serverId?: string; job?: { id: string } }[] = [];
  socket.on("msg", (m: (typeof messages)[number]) => messages.push(m));
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", () => resolve());
      socket.once("connect_error", reject);
    });
    socket.emit("msg", { type: "server.watch", serverId: fx.b.serverId });
    socket.emit("msg", { type: "job.watch", jobId: fx.b.jobId, sinceSeq: 0 });
    socket.emit("msg", { type: "server.watch", serverId: fx.a.serverId });
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && !messages.some((m) => m.type === "server.state" && m.serverId === fx.a.serverId)) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 1200)); // a few poll rounds: nothing about B may follow
  } finally {
    socket.close();
  }
  const aboutB = messages.filter((m) => m.serverId === fx.b.serverId || m.job?.id === fx.b.jobId);
  assert.deepEqual(aboutB, [], "no data of the other tenant");
  assert.deepEqual(
    messages.filter((m) => m.type === "error").map((m) => m.about).sort(),
    [fx.b.jobId, fx.b.serverId].sort(),
  );
  assert.ok(messages.some((m) => m.type === "server.state" && m.serverId === fx.a.serverId), "its own server's state arrives");
});
