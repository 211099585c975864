/**
 * kill -9 of the agent in the middle of a whole-server restore (issue 14, "Bad input and
 * faults"): restic is reading the snapshot into the new root beside the old one when the
 * agent dies. The agent that starts next puts the server back on its old root (the
 * staging area goes, nothing of the snapshot is mixed in) and starts it, since it was
 * meant to run; the operation ends failed as interrupted; the repository checks clean;
 * a second restore then succeeds. A busybox server on a loop-mounted XFS with reflink.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { after, before, describe, it } from "node:test";
import { buildBundle } from "@/agent/src/ops/testing/temp-host";
import { startTestAgent, settled, type TestAgent } from "@/agent/src/ops/templates/testing/test-agent";
import { makeReflinkHost, type ReflinkHost } from "@/agent/src/ops/unify/testing/reflink-host";
import { alive, findProcess } from "./testing/host-processes";

let host: ReflinkHost;
let agent: TestAgent | undefined;
const owner = "srv_r1";

async function sh(script: string): Promise<string> {
  return (await agent!.client.execInVserver({ name: "r1", argv: ["/bin/sh", "-c", script] })).stdout;
}

describe("an interrupted restore (agent killed with SIGKILL while restic restores)", () => {
  before(async () => {
    buildBundle();
    host = makeReflinkHost("3G");
    agent = await startTestAgent(host);
  });
  after(async () => {
    await agent?.stop();
    await host?.cleanup();
  });

  it("the next agent puts the server back on its old root and starts it; the repository checks clean; a restore then works", async () => {
    const c = agent!.client;
    const made = await settled(c, (await c.createVserver({ name: "r1", hostname: "r1", method: "busybox", startOnBoot: true, start: true })).operationId);
    assert.equal(made.state, "succeeded", JSON.stringify(made.error));
    const root = fs.realpathSync(path.join(host.paths.confDir, "r1", "vdir"));
    // Enough data that restic is still restoring when it is seen (incompressible, not deduplicated).
    execFileSync("dd", ["if=/dev/urandom", `of=${path.join(root, "root/big")}`, "bs=1M", "count=400", "status=none"]);
    await sh("echo in-snapshot > /root/state");
    const backup = await settled(c, (await c.createBackup({ name: "r1", owner, target: "local" })).operationId);
    assert.equal(backup.state, "succeeded", JSON.stringify(backup.error));
    const snapshot = (await c.listBackups({ target: "local", name: "r1", owner })).snapshots[0]!.id;
    await sh("echo after-snapshot > /root/state");

    const { operationId } = await c.restoreBackup({ target: "local", name: "r1", owner, snapshot });
    let restic = 0;
    for (let i = 0; i < 1200 && !restic; i++) {
      restic = findProcess((cmd, env) => cmd.startsWith("restic\0") && /\0(restore|dump)\0/.test(cmd) && env.includes(`RESTIC_CACHE_DIR=${host.paths.confDir}`));
      if (!restic) await sleep(25);
    }
    assert.ok(restic > 0, "restic seen restoring");
    const agentPid = findProcess((cmd, env) => cmd.includes("agent/dist/agent.mjs") && env.includes(`VSERVER_RUNDIR=${host.paths.runDir}`));
    assert.ok(agentPid > 0, "the agent process found");
    process.kill(agentPid, "SIGKILL");
    for (let i = 0; i < 400 && (alive(restic) || alive(agentPid)); i++) await sleep(25);
    assert.ok(!alive(restic), "restic died with the agent");

    agent = await startTestAgent(host);
    const op = await agent.client.getOperation({ id: operationId });
    assert.equal(op.state, "failed");
    assert.match(op.error?.message ?? "", /interrupted/);
    // Back on the old root and running, as it was meant to: the file written after the snapshot is there.
    let info = await agent.client.getVserver({ name: "r1" });
    for (let i = 0; i < 200 && info.state !== "running"; i++) {
      await sleep(50);
      info = await agent.client.getVserver({ name: "r1" });
    }
    assert.equal(info.state, "running");
    assert.equal(await sh("cat /root/state"), "after-snapshot\n");
    assert.equal(fs.realpathSync(path.join(host.paths.confDir, "r1", "vdir")), root, "the same root directory");
    const staging = path.join(host.paths.rootDir, ".reinstall", "r1");
    assert.ok(!fs.existsSync(staging) || fs.readdirSync(staging).length === 0, "no staging area left");
    const check = await settled(agent.client, (await agent.client.checkBackupTarget({ id: "local" })).operationId);
    assert.equal(check.state, "succeeded", JSON.stringify(check.error));

    const again = await settled(agent.client, (await agent.client.restoreBackup({ target: "local", name: "r1", owner, snapshot })).operationId);
    assert.equal(again.state, "succeeded", JSON.stringify(again.error));
    assert.equal(await sh("cat /root/state"), "in-snapshot\n");
    await agent.client.stopVserver({ name: "r1", timeoutSec: 5 });
    await agent.client.deleteVserver({ name: "r1" });
  });
});
