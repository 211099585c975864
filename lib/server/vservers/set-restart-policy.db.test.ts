/**
 * The restart policy as the panel's decision (issue 13): the owner sets it, the row holds
 * it and the host gets it at once; with the host down the row still holds it and the
 * reconciler's plan puts it on the host when it answers (plan-corrections.test.ts);
 * support and another tenant cannot. Against a fake agent, on SQLite and PostgreSQL.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { sessionActor } from "@/lib/auth/testing/tenants";
import { tenantsOnFakeAgent } from "@/lib/auth/testing/tenants-on-fake-agent";
import { setServerRestartPolicy } from "./set-restart-policy";

process.env.NEXTAUTH_SECRET ??= "restart-policy-test-secret-of-enough-length-0123";

const t = tenantsOnFakeAgent("policy-host");

const rejects = (p: Promise<unknown>, code: string) => assert.rejects(p, (e: unknown) => e instanceof AppError && e.code === code);

test("the owner chooses; the row holds it and the host gets it at once", async () => {
  const before = t.agent.calls.length;
  const r = await setServerRestartPolicy(db(), sessionActor(t.fx, "customerA"), t.fx.a.serverId, { policy: "never" });
  assert.deepEqual(r, { policy: "never", applied: true });
  assert.equal((await db().vServer.findUniqueOrThrow({ where: { id: t.fx.a.serverId } })).restartPolicy, "never");
  const call = t.agent.calls.slice(before).find((c) => c.op === "setRestartPolicy");
  assert.deepEqual(call?.input, { name: (await db().vServer.findUniqueOrThrow({ where: { id: t.fx.a.serverId } })).name, policy: "never" });
});

test("with its host down the decision is kept for the reconciler; bad input names the field and changes nothing", async () => {
  await db().host.update({ where: { id: t.fx.hostId }, data: { status: "OFFLINE" } });
  try {
    const before = t.agent.calls.length;
    assert.deepEqual(await setServerRestartPolicy(db(), sessionActor(t.fx, "resellerA"), t.fx.a.serverId, { policy: "on-failure" }), { policy: "on-failure", applied: false });
    assert.equal(t.agent.calls.slice(before).filter((c) => c.op === "setRestartPolicy").length, 0, "a host known to be down is not asked");
    assert.equal((await db().vServer.findUniqueOrThrow({ where: { id: t.fx.a.serverId } })).restartPolicy, "on-failure");
  } finally {
    await db().host.update({ where: { id: t.fx.hostId }, data: { status: "ONLINE" } });
  }
  await assert.rejects(setServerRestartPolicy(db(), sessionActor(t.fx, "admin"), t.fx.a.serverId, { policy: "always" }), (e: unknown) => e instanceof AppError && e.field === "policy");
  assert.equal((await db().vServer.findUniqueOrThrow({ where: { id: t.fx.a.serverId } })).restartPolicy, "on-failure");
});

test("support and another tenant cannot", async () => {
  await rejects(setServerRestartPolicy(db(), sessionActor(t.fx, "support"), t.fx.a.serverId, { policy: "never" }), "FORBIDDEN");
  await rejects(setServerRestartPolicy(db(), sessionActor(t.fx, "customerB"), t.fx.a.serverId, { policy: "never" }), "NOT_FOUND");
  await rejects(setServerRestartPolicy(db(), sessionActor(t.fx, "resellerB"), t.fx.a.serverId, { policy: "never" }), "NOT_FOUND");
});
