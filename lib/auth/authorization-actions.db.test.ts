/**
 * The authorization matrix of the server actions, on a real database: every action
 * exported from lib/actions (found in the source, so a new one cannot be left out) runs
 * its domain call as each role — admin, support, reseller and customer of tenant A and
 * of tenant B — against its own tenant's objects and the other tenant's, and must end
 * exactly as docs/authorization.md says: done, 403 on what the caller may see but not
 * change, 404 on what it may not see (another tenant's id is never confirmed to exist).
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { db } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { databaseTarget } from "@/lib/db/url";
import { AppError } from "@/lib/errors";
import { actionCases, type ActionCase, type Outcome } from "./testing/action-cases";
import { startFakeAgent, type FakeAgent } from "./testing/fake-agent";
import { createFakeAgentHost } from "./testing/fake-agent-host";
import { answerBackups } from "./testing/backup-fixtures";
import { seedTenants, sessionActor, type ActorName, type Tenants } from "./testing/tenants";

process.env.NEXTAUTH_SECRET ??= "authorization-test-secret-of-enough-length-0123456789";

let fx: Tenants;
let agent: FakeAgent;
const repo = path.resolve(import.meta.dirname, "..", "..");

before(async () => {
  await migrate(databaseTarget());
  agent = await startFakeAgent();
  answerBackups(agent);
  const hostId = await createFakeAgentHost(db(), agent, "authz-host");
  fx = await seedTenants(db(), hostId);
});
after(async () => {
  await agent?.close();
  await db().$disconnect();
});

/** Exported server actions, read from the source: `dir/file:name`. */
function exportedActions(): string[] {
  const dir = path.join(repo, "lib", "actions");
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith(".ts") || entry.name.endsWith(".test.ts")) continue;
    const file = path.join(entry.parentPath, entry.name);
    const text = fs.readFileSync(file, "utf8");
    if (!/^["']use server["'];?/m.test(text)) continue;
    const rel = path.relative(dir, file).replace(/\.ts$/, "");
    for (const m of text.matchAll(/^export async function (\w+)/gm)) out.push(`${rel}:${m[1]}`);
  }
  return out.sort();
}

async function outcomeOf(run: () => Promise<unknown>): Promise<Outcome | string> {
  try {
    await run();
    return "ok";
  } catch (e) {
    if (e instanceof AppError && e.code === "FORBIDDEN") return 403;
    if (e instanceof AppError && e.code === "NOT_FOUND") return 404;
    return `${e instanceof AppError ? e.code : "error"}: ${(e as Error).message}`;
  } finally {
    // Power requests queue jobs; a second request of the same kind would be refused as "under way".
    await db().job.deleteMany({ where: { state: "QUEUED" } });
  }
}

const actors: ActorName[] = ["admin", "support", "resellerA", "resellerB", "customerA", "customerB"];

function expected(c: ActionCase, who: ActorName, relation: "own" | "other"): Outcome {
  if (who === "admin") return c.expect.admin;
  if (who === "support") return c.expect.support;
  const pair = who.startsWith("reseller") ? c.expect.reseller : c.expect.customer;
  return pair[relation === "own" ? 0 : 1];
}

test("every exported server action is in the matrix", () => {
  const covered = new Set(actionCases.map((c) => c.action.replace(/ \(.*\)$/, "")));
  const missing = exportedActions().filter((a) => !covered.has(a));
  assert.deepEqual(missing, [], "add these actions to lib/auth/testing/action-cases.ts and docs/authorization.md");
  const stale = [...covered].filter((a) => !exportedActions().includes(a));
  assert.deepEqual(stale, [], "actions in the matrix that no longer exist");
});

for (const c of actionCases) {
  test(`${c.action}: ${c.selfOnly ? "as each role" : "own and other tenant's objects, as each role"}`, async () => {
    const wrong: string[] = [];
    for (const who of actors) {
      const mine = who.endsWith("B") ? fx.b : fx.a;
      const theirs = who.endsWith("B") ? fx.a : fx.b;
      for (const relation of c.selfOnly ? (["own"] as const) : (["own", "other"] as const)) {
        const t = relation === "own" ? mine : theirs;
        const got = await outcomeOf(() => c.call(sessionActor(fx, who), { db: db(), fx, t, agent }));
        const want = expected(c, who, relation);
        if (got !== want) wrong.push(`${who} on ${relation}: expected ${want}, got ${got}`);
      }
    }
    assert.deepEqual(wrong, []);
  });
}

test("a user's own account: visible to itself, but only its provider may change its status, password or existence", async () => {
  for (const who of ["resellerA", "customerA", "customerB"] as const) {
    const me = sessionActor(fx, who);
    const { setUserStatus } = await import("@/lib/server/users/set-user-status");
    const { resetPassword } = await import("@/lib/server/users/set-password");
    const { deleteUser } = await import("@/lib/server/users/delete-user");
    assert.equal(await outcomeOf(() => setUserStatus(db(), me, me.userId, "SUSPENDED")), 403, `${who} suspending itself`);
    assert.equal(await outcomeOf(() => resetPassword(db(), me, me.userId)), 403, `${who} resetting its own password without the old one`);
    assert.equal(await outcomeOf(() => deleteUser(db(), me, me.userId)), 403, `${who} deleting itself`);
  }
});

test("a reseller cannot reach the other reseller itself, nor a house plan's settings", async () => {
  const { resetPassword } = await import("@/lib/server/users/set-password");
  const { updatePlan } = await import("@/lib/server/plans/update-plan");
  assert.equal(await outcomeOf(() => resetPassword(db(), sessionActor(fx, "resellerA"), fx.b.resellerId)), 404);
  assert.equal(await outcomeOf(() => resetPassword(db(), sessionActor(fx, "customerA"), fx.a.resellerId)), 404, "a customer cannot see its reseller");
  assert.equal(await outcomeOf(() => updatePlan(db(), sessionActor(fx, "resellerA"), fx.housePlanId, { archived: true })), 404);
});

test("refusals left the other tenant's objects as they were", async () => {
  const server = await db().vServer.findUniqueOrThrow({ where: { id: fx.b.serverId } });
  assert.equal(server.memoryMb === 256 || server.memoryMb === 512, true);
  const b = await db().user.findUniqueOrThrow({ where: { id: fx.b.customerId } });
  assert.equal(b.status, "ACTIVE");
  // Every write that reached tenant B's server came from admin or B's own people.
  const writes = await db().auditLog.findMany({ where: { targetId: fx.b.serverId, success: true } });
  const allowed = new Set([fx.adminId, fx.b.resellerId, fx.b.customerId]);
  assert.deepEqual(writes.filter((w) => !allowed.has(w.actorId ?? "")).map((w) => `${w.action} by ${w.actorId}`), []);
});
