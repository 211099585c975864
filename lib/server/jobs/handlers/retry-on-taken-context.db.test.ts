/**
 * A build whose context id the host refuses (another agent on the machine, or a server
 * made outside the panel, holds it: the host-wide registry's CONFLICT on `context`)
 * moves the server to the next free id and builds again, instead of failing the way a
 * CI run saw ("context: 100 is used by vserver …"). Other failures still fail the job.
 * Against a fake agent that speaks the contract, on SQLite and PostgreSQL.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { db } from "@/lib/db/client";
import { tenantsOnFakeAgent } from "@/lib/auth/testing/tenants-on-fake-agent";
import { agentForHost } from "@/lib/server/hosts/agent-for-host";
import type { JobContext } from "../job-context";
import { createServerJob } from "./create-server-job";
import { createJob } from "../create-job";

process.env.NEXTAUTH_SECRET ??= "context-retry-test-secret-of-enough-length-0123";

const t = tenantsOnFakeAgent("ctx-host");

/** A job context for the tenant's server, as the runner makes it. */
async function contextFor(serverId: string, lines: string[]): Promise<JobContext> {
  const hostId = t.fx.hostId;
  const host = await db().host.findUniqueOrThrow({ where: { id: hostId } });
  const id = await createJob(db(), { type: "server.create", vserverId: serverId, hostId, createdById: null, payload: {} });
  const job = { id, type: "server.create", vserverId: serverId, hostId, agentOperationId: null as string | null, attempts: 1, createdById: null };
  return {
    db: db(),
    job,
    payload: { methodArgs: [], start: false },
    agent: () => agentForHost(host, 10_000),
    log: async (...l) => void lines.push(...l),
    progress: async () => undefined,
    setAgentOperation: async (id) => void (job.agentOperationId = id),
  };
}

/** Operation answers: each createVserver gets the next id; the ones in `taken` fail as the host-wide registry does. */
function scriptBuilds(takenContexts: Set<number>, other?: { code: string; message: string }) {
  const ops = new Map<string, number>();
  t.agent.answers.createVserver = (input) => {
    const id = `op-${ops.size + 1}`;
    ops.set(id, Number(input.context));
    return { operationId: id, name: input.name };
  };
  t.agent.answers.getOperation = (input) => {
    const ctx = ops.get(String(input.id))!;
    const error = other ?? (takenContexts.has(ctx) ? { code: "CONFLICT", message: `context: ${ctx} is used by vserver "x" of another agent (/tmp/other/etc)`, field: "context" } : null);
    return { id: input.id, type: "createVserver", target: null, state: error ? "failed" : "succeeded", progress: 100, lines: error ? [{ seq: 0, at: new Date().toISOString(), text: `failed: ${error.message}` }] : [], nextLine: error ? 1 : 0, error, startedAt: new Date().toISOString(), finishedAt: new Date().toISOString() };
  };
  return ops;
}

test("a context the host holds for someone else: the server moves to the next free id and is built there", async () => {
  const server = await db().vServer.findUniqueOrThrow({ where: { id: t.fx.a.serverId } });
  const taken = new Set([server.contextId, server.contextId + 1, server.contextId + 2]);
  const ops = scriptBuilds(taken);
  const lines: string[] = [];
  const result = await createServerJob(await contextFor(server.id, lines));
  assert.equal(result.name, server.name);
  const moved = await db().vServer.findUniqueOrThrow({ where: { id: server.id } });
  assert.ok(!taken.has(moved.contextId) && moved.contextId > server.contextId, `built on a free id, not ${moved.contextId}`);
  const tried = [...ops.values()];
  assert.equal(tried.at(-1), moved.contextId, "the last try is the id it has now");
  assert.ok(tried.slice(0, -1).every((c) => taken.has(c)), `only refused ids before it: ${tried.join(", ")}`);
  assert.ok(tried.every((c, i) => i === 0 || c > tried[i - 1]!), "upwards, never the same id twice");
  assert.ok(lines.some((l) => /^context \d+ is taken on this host: trying context \d+$/.test(l)), "the log says why");
  assert.ok(!lines.some((l) => /another agent|\/tmp\/other|"x"/.test(l)), `the log names no other tenant's server: ${lines.join(" | ")}`);
});

test("any other failure of the build fails the job and leaves the context as it was", async () => {
  const server = await db().vServer.findUniqueOrThrow({ where: { id: t.fx.b.serverId } });
  scriptBuilds(new Set(), { code: "KERNEL", message: "debootstrap failed" });
  await assert.rejects(createServerJob(await contextFor(server.id, [])), /debootstrap failed/);
  assert.equal((await db().vServer.findUniqueOrThrow({ where: { id: server.id } })).contextId, server.contextId);
});
