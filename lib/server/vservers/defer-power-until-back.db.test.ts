/**
 * A power decision while the host is offline (issue 16, hosts that are down): refused
 * by the ordinary request with HOST_OFFLINE; recorded for when the host is back if the
 * person chooses (desired state, audit, no job); refused while the host is online, for
 * restart and terminate, for a customer's suspended server and for support. When the
 * host answers again, its reconciliation hands it the decision (a fake agent here).
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { createAgentClient } from "@/lib/agent-client";
import { createDb, type Db } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { databaseTarget } from "@/lib/db/url";
import { refusal } from "@/lib/testing/refusal";
import type { Actor } from "@/lib/server/actor";
import { startFakeAgent, type FakeAgent } from "@/lib/auth/testing/fake-agent";
import { createFakeAgentHost } from "@/lib/auth/testing/fake-agent-host";
import { reconcileHost } from "@/lib/server/reconcile/reconcile-host";
import { deferPowerUntilBack } from "./defer-power-until-back";
import { requestPower } from "./request-power";

process.env.NEXTAUTH_SECRET ??= "defer-power-test-secret-of-enough-length-0123456";

let db: Db;
let agent: FakeAgent;
let hostId = "";
const tag = crypto.randomBytes(3).toString("hex");
const actor = (userId: string, role: Actor["role"]): Actor => ({ userId, role, via: "session", ip: null, userAgent: null });

before(async () => {
  await migrate(databaseTarget());
  db = createDb();
  agent = await startFakeAgent();
  hostId = await createFakeAgentHost(db, agent, `defer-host-${tag}`);
});

after(async () => {
  await agent?.close();
  await db?.$disconnect();
});

test("while the host is offline a start waits for it as a decision; on its return the reconciler hands the host the decision", async () => {
  const owner = await db.user.create({ data: { email: `defer-${tag}@t.test`, role: "CUSTOMER", passwordHash: "x" } });
  const support = actor((await db.user.create({ data: { email: `defer-sup-${tag}@t.test`, role: "SUPPORT", passwordHash: "x" } })).id, "SUPPORT");
  const customer = actor(owner.id, "CUSTOMER");
  const name = `defer${tag}`;
  const row = await db.vServer.create({ data: { name, hostname: `${name}.t.test`, contextId: 100, hostId, ownerId: owner.id, state: "STOPPED", desiredState: "STOPPED", cpuMilli: 100, memoryMb: 64, diskMb: 64, pids: 64 } });

  assert.equal((await refusal(deferPowerUntilBack(db, customer, row.id, "start"))).code, "CONFLICT", "the host is online: start it now");
  await db.host.update({ where: { id: hostId }, data: { status: "OFFLINE", lastSeenAt: new Date(Date.now() - 180_000) } });
  assert.equal((await refusal(requestPower(db, customer, row.id, "start"))).code, "HOST_OFFLINE", "the ordinary request is refused");
  assert.equal((await refusal(deferPowerUntilBack(db, customer, row.id, "restart"))).field, "action");
  assert.equal((await refusal(deferPowerUntilBack(db, support, row.id, "start"))).code, "FORBIDDEN");
  assert.equal((await refusal(deferPowerUntilBack(db, customer, row.id, "suspend"))).code, "FORBIDDEN", "a provider's action");

  const told = await deferPowerUntilBack(db, customer, row.id, "start");
  assert.equal(told.message, `host defer-host-${tag} is offline (last answered 3 min ago); ${name} will be running when it is back`);
  const after1 = await db.vServer.findUniqueOrThrow({ where: { id: row.id } });
  assert.equal(after1.desiredState, "RUNNING");
  assert.equal(await db.job.count({ where: { vserverId: row.id } }), 0, "no job waits on the dead host");
  const entry = await db.auditLog.findFirstOrThrow({ where: { action: "vserver.start", targetId: row.id } });
  assert.match(entry.details, /until the host is back/);

  // The host answers again.
  const base = await createAgentClient({ endpoint: agent.endpoint, credential: agent.credential }).getVserver({ name });
  agent.answers.listVservers = () => ({ vservers: [{ ...base, state: "stopped", desired: null }] });
  await reconcileHost(db, hostId);
  // The reconciler hands the host the decision (the agent then starts the server itself).
  const handed = agent.calls.find((c) => c.op === "setDesiredState" && (c.input as { name: string }).name === name);
  assert.ok(handed, `the reconciler handed the host the decision: ${agent.calls.map((c) => c.op).join(", ")}`);
  assert.match(JSON.stringify(handed.input), /"running"/);
  assert.equal((await db.host.findUniqueOrThrow({ where: { id: hostId } })).status, "ONLINE");
});
