/**
 * A source copy a move could not delete (its agent down just then) is deleted by the
 * source's next reconciliation — only while it is still that copy: stopped, with the
 * context the server had there, the panel having the server elsewhere. A copy started by
 * hand since, or of another context, is left and reported as not in the panel.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { createAgentClient } from "@/lib/agent-client";
import { createDb, type Db } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { databaseTarget } from "@/lib/db/url";
import { startFakeAgent, type FakeAgent } from "@/lib/auth/testing/fake-agent";
import { createFakeAgentHost } from "@/lib/auth/testing/fake-agent-host";
import { reconcileHost } from "@/lib/server/reconcile/reconcile-host";

process.env.NEXTAUTH_SECRET ??= "left-copies-test-secret-of-enough-length-0123456";

let db: Db;
let source: FakeAgent;
let target: FakeAgent;
let sourceId = "";
let targetId = "";
const tag = crypto.randomBytes(3).toString("hex");

before(async () => {
  await migrate(databaseTarget());
  db = createDb();
  [source, target] = [await startFakeAgent(), await startFakeAgent()];
  sourceId = await createFakeAgentHost(db, source, `left-src-${tag}`);
  targetId = await createFakeAgentHost(db, target, `left-dst-${tag}`);
});

after(async () => {
  await source?.close();
  await target?.close();
  await db?.$disconnect();
});

/** A server the panel has on the target, moved from the source by a job marked "copy left" (source context 150). */
async function movedAway(name: string) {
  const owner = await db.user.create({ data: { email: `${name}@left.test`, role: "CUSTOMER", passwordHash: "x" } });
  const row = await db.vServer.create({ data: { name, hostname: `${name}.test`, contextId: 100 + crypto.randomInt(1000), hostId: targetId, ownerId: owner.id, state: "RUNNING", cpuMilli: 100, memoryMb: 64, diskMb: 64, pids: 64 } });
  await db.job.create({ data: { type: "server.migrate", state: "SUCCEEDED", vserverId: row.id, hostId: sourceId, payload: JSON.stringify({ targetHostId: targetId, sourceContextId: 150, sourceCopyLeft: true }) } });
  return row;
}

test("the left copy is deleted at the source's next reconciliation; a copy that changed since is left and reported", async () => {
  const [gone, started, other] = [await movedAway(`lefta${tag}`), await movedAway(`leftb${tag}`), await movedAway(`leftc${tag}`)];
  const base = await createAgentClient({ endpoint: source.endpoint, credential: source.credential }).getVserver({ name: "x" });
  const copies = [
    { ...base, name: gone.name, context: 150, state: "stopped" },
    { ...base, name: started.name, context: 150, state: "running" }, // started by hand on the source since
    { ...base, name: other.name, context: 151, state: "stopped" }, // not the copy the move left
  ];
  source.answers.listVservers = () => ({ vservers: copies });
  source.answers.deleteVserver = (input) => ({ name: input.name });

  const result = await reconcileHost(db, sourceId);
  const deleted = source.calls.filter((c) => c.op === "deleteVserver").map((c) => (c.input as { name: string }).name);
  assert.deepEqual(deleted, [gone.name], "only the unchanged stopped copy is deleted");
  assert.deepEqual(result.unmanaged, [started.name, other.name].sort(), "the others are reported as not in the panel");
  assert.equal(await db.auditLog.count({ where: { action: "migration.left-copy-removed", targetId: gone.id } }), 1);
  const job = await db.job.findFirstOrThrow({ where: { vserverId: gone.id } });
  assert.equal(JSON.parse(job.payload).sourceCopyLeft, false, "the mark is cleared");
  assert.equal((await db.vServer.findUniqueOrThrow({ where: { id: gone.id } })).hostId, targetId, "the panel's server is untouched");
});

test("a copy a failed move built on its target is deleted at the target's next reconciliation, not while the server has a job under way", async () => {
  const owner = await db.user.create({ data: { email: `leftt${tag}@left.test`, role: "CUSTOMER", passwordHash: "x" } });
  const name = `leftt${tag}`;
  // The panel has the server on the source (the move failed before the switch); the target kept what it built.
  const row = await db.vServer.create({ data: { name, hostname: `${name}.test`, contextId: 100 + crypto.randomInt(1000), hostId: sourceId, ownerId: owner.id, state: "RUNNING", cpuMilli: 100, memoryMb: 64, diskMb: 64, pids: 64 } });
  await db.job.create({ data: { type: "server.migrate", state: "FAILED", vserverId: row.id, hostId: sourceId, payload: JSON.stringify({ targetHostId: targetId, targetCopyLeft: targetId }) } });
  const base = await createAgentClient({ endpoint: target.endpoint, credential: target.credential }).getVserver({ name: "x" });
  target.answers.listVservers = () => ({ vservers: [{ ...base, name, context: 101, state: "stopped" }] });
  target.answers.deleteVserver = (input) => ({ name: input.name });

  const retry = await db.job.create({ data: { type: "server.migrate", state: "RUNNING", vserverId: row.id, hostId: sourceId, payload: "{}" } });
  await reconcileHost(db, targetId);
  assert.equal(target.calls.filter((c) => c.op === "deleteVserver").length, 0, "left alone while a move of it runs");
  await db.job.update({ where: { id: retry.id }, data: { state: "FAILED" } });

  const result = await reconcileHost(db, targetId);
  assert.deepEqual(target.calls.filter((c) => c.op === "deleteVserver").map((c) => (c.input as { name: string }).name), [name]);
  assert.ok(!result.unmanaged.includes(name));
  assert.equal(await db.auditLog.count({ where: { action: "migration.left-copy-removed", targetId: row.id } }), 1);
});
