/**
 * Least privilege on the process list, through the authorized loader and the agent
 * contract (a fake agent that cuts host rows as the real one does: agent/src/ops/procs):
 * support asks the agent without host command lines and sees a host process's name,
 * user and resources but not its arguments, also not through the command filter;
 * admins ask for them and see them; processes of servers keep their command lines for
 * both. Resellers and customers get no list at all.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { db } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { databaseTarget } from "@/lib/db/url";
import { startFakeAgent, type FakeAgent, type FakeProcess } from "@/lib/auth/testing/fake-agent";
import { createFakeAgentHost } from "@/lib/auth/testing/fake-agent-host";
import { seedTenants, sessionActor, type Tenants } from "@/lib/auth/testing/tenants";
import { listProcesses } from "./list-processes";

process.env.NEXTAUTH_SECRET ??= "list-processes-test-secret-of-enough-length-0123456789";

let fx: Tenants;
let agent: FakeAgent;
const hostSecret = "postgresql://vspanel:hunter2-host@127.0.0.1/vspanel";
const guestCommand = "mysqld --defaults-file=/etc/mysql/guest.cnf --user=mysql";

function row(over: Partial<FakeProcess> & Pick<FakeProcess, "pid" | "context" | "vserver" | "command" | "name">): FakeProcess {
  return { ppid: 1, guestPid: null, user: "root", uid: 0, guestUid: null, state: "S", cpuPercent: 1.5, rssBytes: 4 << 20, vszBytes: 8 << 20, startedAt: new Date().toISOString(), cpuTimeSec: 3, ...over };
}

before(async () => {
  await migrate(databaseTarget());
  agent = await startFakeAgent();
  const hostId = await createFakeAgentHost(db(), agent, "procs-host");
  fx = await seedTenants(db(), hostId);
  const guest = await db().vServer.findUniqueOrThrow({ where: { id: fx.a.serverId } });
  agent.processes = [
    row({ pid: 4242, context: 0, vserver: "MAIN", user: "postgres", uid: 107, command: `psql ${hostSecret}`, name: "psql" }),
    row({ pid: 5151, context: 100, vserver: guest.name, guestPid: 17, uid: 1048576 + 27, guestUid: 27, user: "1048603", command: guestCommand, name: "mysqld" }),
  ];
});
after(async () => {
  await agent?.close();
  await db().$disconnect();
});

test("support sees host processes by name, user and resources, without arguments; guest command lines stay", async () => {
  const before = agent.calls.length;
  const { rows } = await listProcesses(db(), sessionActor(fx, "support"), { sort: "pid" });
  assert.deepEqual(agent.calls.slice(before).map((c) => c.input), [{ hostCommandLines: false }], "the arguments never leave the host");
  const host = rows.find((r) => r.pid === 4242);
  assert.ok(host);
  assert.equal(host.command, "psql");
  assert.equal(host.argumentsHidden, true);
  assert.equal(host.user, "postgres");
  assert.equal(host.rssBytes, 4 << 20);
  assert.ok(!JSON.stringify(rows).includes("hunter2"), "no secret anywhere in the rows");
  const guest = rows.find((r) => r.pid === 5151);
  assert.equal(guest?.command, guestCommand);
  assert.equal(guest?.argumentsHidden, false);
  assert.equal(guest?.customer, fx.a.customerEmail.toLowerCase());
});

test("support cannot find a host argument through the command filter", async () => {
  const support = sessionActor(fx, "support");
  assert.equal((await listProcesses(db(), support, { command: "hunter2" })).total, 0);
  assert.equal((await listProcesses(db(), support, { command: "psql" })).total, 1);
  assert.equal((await listProcesses(db(), support, { command: "defaults-file" })).total, 1, "guest arguments are searchable");
});

test("admins see host command lines", async () => {
  const before = agent.calls.length;
  const { rows } = await listProcesses(db(), sessionActor(fx, "admin"), { sort: "pid" });
  assert.deepEqual(agent.calls.slice(before).map((c) => c.input), [{ hostCommandLines: true }]);
  const host = rows.find((r) => r.pid === 4242);
  assert.equal(host?.command, `psql ${hostSecret}`);
  assert.equal(host?.argumentsHidden, false);
  assert.equal((await listProcesses(db(), sessionActor(fx, "admin"), { command: "hunter2" })).total, 1);
});

test("resellers and customers get no process list", async () => {
  for (const who of ["resellerA", "customerA"] as const) {
    await assert.rejects(listProcesses(db(), sessionActor(fx, who)), (e: Error & { code?: string }) => e.code === "NOT_FOUND", who);
  }
});
