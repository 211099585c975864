/**
 * Emptying a host on the three-host bed (issue 16, drain): host A has three busybox
 * servers (two running, one stopped); the admin empties it with two moves at a time;
 * the panel's own job runner moves them to B and C; afterwards A has no server left, is
 * in maintenance, each server is whole on its new host (a file written before the move,
 * its hostname, running or stopped as before) and the host.evacuated event is there.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Db } from "@/lib/db/client";
import type { Actor } from "@/lib/server/actor";
import { agentForHost } from "@/lib/server/hosts/agent-for-host";
import { JobRunner } from "@/lib/server/jobs/job-runner";
import { requestHostEvacuation } from "@/lib/server/migration/request-host-evacuation";
import { settled } from "@/agent/src/ops/templates/testing/test-agent";
import type { BedHost, MultiHostBed } from "@/lib/server/testing/multi-host-bed";
import { startBedPanel, type BedPanel } from "@/lib/server/testing/bed-panel";

let bench: BedPanel | undefined;
let db: Db;
let bed: MultiHostBed | undefined;
let admin: Actor;
let runner: JobRunner;

const agentOf = async (hostId: string) => agentForHost(await db.host.findUniqueOrThrow({ where: { id: hostId } }), 60_000);

/** A busybox server on `h` with a panel row, running or not, with a marker file in its root. */
async function server(h: BedHost, name: string, running: boolean) {
  const agent = await agentOf(h.hostId);
  const { operationId } = await agent.createVserver({ name, hostname: `${name}.bed.test`, method: "busybox", startOnBoot: false, start: true });
  const op = await settled(agent, operationId);
  assert.equal(op.state, "succeeded", op.error?.message);
  await agent.execInVserver({ name, argv: ["/bin/sh", "-c", `echo ${name}-before-the-move > /root/marker`] });
  if (!running) await agent.stopVserver({ name, timeoutSec: 10 });
  const info = await agent.getVserver({ name });
  const state = running ? "RUNNING" : "STOPPED";
  return db.vServer.create({
    data: { name, hostname: `${name}.bed.test`, contextId: info.context, hostId: h.hostId, ownerId: admin.userId, state, desiredState: state, buildMethod: "busybox", cpuMilli: 100, memoryMb: 64, diskMb: 64, pids: 64 },
  });
}

before(async () => {
  bench = await startBedPanel("evac", 3);
  ({ db, admin, bed } = bench);
  runner = new JobRunner(db, { pollMs: 200 });
});

after(async () => {
  await runner?.stop();
  await runner?.idle();
  await bench?.stop();
});

describe("emptying a host", () => {
  test("A's three servers move to B and C by the panel's runner, two at a time; each is whole there, as it was", async () => {
    const [A, B, C] = bed!.hosts as [BedHost, BedHost, BedHost];
    const rows = [await server(A, "vstev1", true), await server(A, "vstev2", true), await server(A, "vstev3", false)];
    const { jobId } = await requestHostEvacuation(db, admin, A.hostId, { parallel: 2 });
    runner.start();
    let job = await db.job.findUniqueOrThrow({ where: { id: jobId } });
    for (let i = 0; i < 3000 && job.state !== "SUCCEEDED" && job.state !== "FAILED"; i++) {
      await new Promise((r) => setTimeout(r, 200));
      job = await db.job.findUniqueOrThrow({ where: { id: jobId } });
    }
    const lines = (await db.jobLogLine.findMany({ where: { jobId }, orderBy: { seq: "asc" } })).map((l) => l.text);
    assert.equal(job.state, "SUCCEEDED", `${job.error}\n${lines.join("\n")}`);

    assert.equal(await db.vServer.count({ where: { hostId: A.hostId } }), 0, "the panel has nothing on A");
    assert.deepEqual((await (await agentOf(A.hostId)).listVservers({})).vservers.map((v) => v.name).filter((n) => n.startsWith("vstev")), [], "nor has A's agent");
    assert.equal((await db.host.findUniqueOrThrow({ where: { id: A.hostId } })).draining, true, "A stays in maintenance");
    for (const [i, row] of rows.entries()) {
      const now = await db.vServer.findUniqueOrThrow({ where: { id: row.id } });
      assert.ok([B.hostId, C.hostId].includes(now.hostId), `${row.name} is on B or C`);
      const agent = await agentOf(now.hostId);
      const info = await agent.getVserver({ name: row.name });
      assert.equal(info.state, i < 2 ? "running" : "stopped", `${row.name} runs as it did before`);
      if (info.state !== "running") await agent.startVserver({ name: row.name });
      assert.equal((await agent.execInVserver({ name: row.name, argv: ["/bin/cat", "/root/marker"] })).stdout.trim(), `${row.name}-before-the-move`);
      assert.equal((await agent.execInVserver({ name: row.name, argv: ["/bin/hostname"] })).stdout.trim(), `${row.name}.bed.test`);
    }
    const moves = await db.job.findMany({ where: { type: "server.migrate", hostId: A.hostId } });
    assert.equal(moves.length, 3);
    assert.ok(moves.every((m) => m.state === "SUCCEEDED"));
    assert.equal(await db.event.count({ where: { hostId: A.hostId, type: "host.evacuated" } }), 1);
  });
});
