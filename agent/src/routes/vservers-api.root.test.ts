/**
 * The agent daemon's vserver API over a real unix socket (the bundled daemon, as it
 * ships): create (an operation with log lines), start, exec with bounded output and
 * stdin, run, vps and vserver-stat rows, the error codes the panel relies on, and a
 * server that keeps running across an agent restart and an agent SIGKILL and is
 * reported running by the new agent; what was decided (suspended, stopped, running, a
 * guest's halt) holding across an agent SIGKILL and a simulated reboot. A new agent
 * starts the servers marked for boot whose last decision was "running" (or that have no
 * record), marks operations interrupted by a crash as failed and removes half-built servers.
 */
import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { after, before, describe, it } from "node:test";
import { AgentError, createAgentClient, type AgentClient } from "@/lib/agent-client";
import { readToken } from "@/agent/src/auth/credential";
import { readRunState } from "@/agent/src/ops/runtime/run-state";
import { binPath, buildBundle, makeTempHost, type TempHost } from "@/agent/src/ops/testing/temp-host";

const repo = path.resolve(import.meta.dirname, "../../..");
let host: TempHost;
let agent: ChildProcess | undefined;
let client: AgentClient;
let socket = "";

async function startAgent(): Promise<void> {
  agent = spawn(process.execPath, [path.join(repo, "agent/dist/agent.mjs")], {
    env: { ...host.env, AGENT_LISTEN: `unix:${socket}` },
    stdio: ["ignore", "ignore", "ignore"],
  });
  for (let i = 0; i < 600; i++) {
    if (fs.existsSync(socket)) {
      try {
        client = createAgentClient({ endpoint: `unix:${socket}`, credential: readToken(path.join(host.paths.confDir, ".agent")) });
        await client.health({});
        return;
      } catch {
        /* not yet */
      }
    }
    await sleep(50);
  }
  throw new Error("agent did not come up");
}

async function stopAgent(signal: NodeJS.Signals): Promise<void> {
  const a = agent;
  agent = undefined;
  if (!a || a.exitCode !== null) return;
  const gone = new Promise((r) => a.once("exit", r));
  a.kill(signal);
  await gone;
  if (signal === "SIGKILL") fs.rmSync(socket, { force: true });
}

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, tries = 400): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const v = await probe();
    if (v) return v;
    await sleep(25);
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function rejectsWith(p: Promise<unknown>, code: string, message?: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof AgentError, String(e));
    assert.equal(e.code, code, e.message);
    if (message) assert.match(e.message, message);
    return true;
  });
}

describe("agent API: vserver operations (busybox servers, real kernel)", () => {
  before(async () => {
    buildBundle();
    host = makeTempHost();
    socket = path.join(host.base, "agent.sock");
    await startAgent();
  });
  after(async () => {
    await stopAgent("SIGTERM");
    await host.cleanup();
  });

  it("createVserver returns an operation that builds the server, with log lines", async () => {
    const { operationId } = await client.createVserver({ name: "api1", hostname: "api1.example.test", method: "busybox", startOnBoot: false });
    const op = await until("the build", async () => {
      const o = await client.getOperation({ id: operationId });
      return o.state !== "running" ? o : undefined;
    });
    assert.equal(op.state, "succeeded", JSON.stringify(op.error));
    assert.equal(op.progress, 100);
    assert.ok(op.lines.some((l) => /linked \d+ applets/.test(l.text)));
    const info = await client.getVserver({ name: "api1" });
    assert.equal(info.state, "stopped");
    assert.equal(info.hostname, "api1.example.test");
    assert.equal(info.context, 100);
    assert.equal(info.buildMethod, "busybox");
  });

  it("answers NOT_FOUND, CONFLICT, BAD_REQUEST and UNSUPPORTED clearly", async () => {
    await rejectsWith(client.getVserver({ name: "nosuch" }), "NOT_FOUND", /nosuch/);
    await rejectsWith(client.startVserver({ name: "nosuch" }), "NOT_FOUND");
    await rejectsWith(client.createVserver({ name: "api1", hostname: "x", method: "busybox" }), "CONFLICT", /already exists/);
    // A conflict found only under the lock (the context id) fails the operation instead.
    const dup = await client.createVserver({ name: "api2", hostname: "x", method: "busybox", context: 100 });
    const failed = await until("the conflicting build", async () => {
      const o = await client.getOperation({ id: dup.operationId });
      return o.state !== "running" ? o : undefined;
    });
    assert.equal(failed.state, "failed");
    assert.equal(failed.error?.code, "CONFLICT");
    assert.match(failed.error?.message ?? "", /context: 100 is used by vserver "api1"/);
    await rejectsWith(client.getVserver({ name: "api2" }), "NOT_FOUND");
    await rejectsWith(client.createVserver({ name: "Bad!", hostname: "x", method: "busybox" }), "BAD_REQUEST");
    await rejectsWith(client.setLimits({ name: "api1", limits: { diskBytes: 1 << 30 } }), "UNSUPPORTED", /disk/);
    await rejectsWith(client.getOperation({ id: "no-such-op" }), "NOT_FOUND");
    await rejectsWith(client.execInVserver({ name: "api1", argv: ["/bin/true"] }), "WRONG_STATE", /not running/);
  });

  it("starts (idempotently), execs with stdin, exit code, bounded output and a time limit", async () => {
    const info = await client.startVserver({ name: "api1" });
    assert.equal(info.state, "running");
    assert.equal((await client.startVserver({ name: "api1" })).initPid, info.initPid);
    const r = await client.execInVserver({ name: "api1", argv: ["/bin/sh", "-c", "cat; hostname; exit 4"], stdin: "in\n" });
    assert.deepEqual({ code: r.exitCode, out: r.stdout, truncated: r.truncated }, { code: 4, out: "in\napi1.example.test\n", truncated: false });
    const big = await client.execInVserver({ name: "api1", argv: ["/bin/sh", "-c", "yes | head -c 100000"], maxOutputBytes: 1000 });
    assert.equal(big.stdout.length, 1000);
    assert.equal(big.truncated, true);
    const slow = await client.execInVserver({ name: "api1", argv: ["/bin/sleep", "30"], timeoutMs: 300 });
    assert.equal(slow.timedOut, true);
    await rejectsWith(client.deleteVserver({ name: "api1" }), "WRONG_STATE", /running/);
  });

  it("setRootAccess writes root's shadow hash and authorized_keys through guestfs", async () => {
    const key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHq0lX2k2w0yY7pX3N6m2Zf4H5J2Q9xq1v7mYw3cTt0A admin@example";
    assert.deepEqual(await client.setRootAccess({ name: "api1", rootPassword: "correct horse battery", sshKeys: [key] }), { name: "api1" });
    const r = await client.execInVserver({ name: "api1", argv: ["/bin/sh", "-c", "grep ^root: /etc/shadow; cat /root/.ssh/authorized_keys; stat -c %a /root/.ssh/authorized_keys"] });
    assert.match(r.stdout, /^root:\$6\$[^:]+:/m);
    assert.ok(r.stdout.includes(key));
    assert.match(r.stdout, /^600$/m);
    await rejectsWith(client.setRootAccess({ name: "api1", sshKeys: ["not a key\nroot:x"] }), "BAD_REQUEST", /sshKeys/);
  });

  it("listProcesses and vserverStat map processes to their server", async () => {
    const info = await client.getVserver({ name: "api1" });
    const { processes } = await client.listProcesses({});
    const init = processes.find((p) => p.pid === info.initPid);
    assert.deepEqual({ ctx: init?.context, vs: init?.vserver, guestPid: init?.guestPid }, { ctx: 100, vs: "api1", guestPid: 1 });
    assert.equal(processes.find((p) => p.pid === process.pid)?.vserver, "MAIN");
    const only = await client.listProcesses({ name: "api1" });
    assert.ok(only.processes.length >= 1 && only.processes.every((p) => p.vserver === "api1"));
    const stat = await client.vserverStat({});
    assert.deepEqual(stat.vservers.map((v) => [v.context, v.name]), [[100, "api1"]]);
    const usage = await client.getUsage({ name: "api1" });
    assert.equal(usage.running, true);
    assert.ok((usage.memoryBytes ?? 0) > 0);
  });

  it("a running server survives an agent restart and an agent SIGKILL; the new agent reports it running", async () => {
    const before = await client.getVserver({ name: "api1" });
    await stopAgent("SIGTERM");
    await startAgent();
    const afterRestart = await client.getVserver({ name: "api1" });
    assert.equal(afterRestart.state, "running");
    assert.equal(afterRestart.initPid, before.initPid);
    await stopAgent("SIGKILL");
    await startAgent();
    const afterKill = await client.getVserver({ name: "api1" });
    assert.equal(afterKill.state, "running");
    assert.equal(afterKill.initPid, before.initPid);
    assert.equal((await client.execInVserver({ name: "api1", argv: ["/bin/true"] })).exitCode, 0);
  });

  it("runVserver starts a fresh server with a command and returns its exit status", async () => {
    const { operationId } = await client.createVserver({ name: "once", hostname: "once", method: "busybox", startOnBoot: false });
    await until("the build", async () => (await client.getOperation({ id: operationId })).state === "succeeded");
    assert.deepEqual(await client.runVserver({ name: "once", argv: ["/bin/sh", "-c", "exit 5"] }), { exitCode: 5, timedOut: false });
    assert.equal((await client.getVserver({ name: "once" })).state, "stopped");
    await rejectsWith(client.runVserver({ name: "api1", argv: ["/bin/true"] }), "WRONG_STATE");
  });

  it("the host keeps what was decided: suspended and stopped servers stay down across an agent SIGKILL and a simulated reboot, a running one comes back", async () => {
    const build = async (name: string) => {
      const { operationId } = await client.createVserver({ name, hostname: name, method: "busybox", start: true });
      const op = await until(`the build of ${name}`, async () => {
        const o = await client.getOperation({ id: operationId });
        return o.state !== "running" ? o : undefined;
      });
      assert.equal(op.state, "succeeded", JSON.stringify(op.error));
    };
    await build("held");
    await build("cust");
    assert.deepEqual((await client.getVserver({ name: "held" })).desired?.state, "running");

    // The panel suspends one (recorded first, then stopped) and a customer stops the other.
    const held = await client.setDesiredState({ name: "held", state: "suspended", reason: "unpaid invoice 17", timeoutSec: 0 });
    assert.equal(held.state, "stopped");
    assert.deepEqual([held.desired?.state, held.desired?.by, held.desired?.reason], ["suspended", "panel", "unpaid invoice 17"]);
    assert.equal((await client.stopVserver({ name: "cust", timeoutSec: 0 })).desired?.state, "stopped");

    // Nothing starts a suspended server: the API, a restart, the CLI.
    await rejectsWith(client.startVserver({ name: "held" }), "WRONG_STATE", /suspended: unpaid invoice 17/);
    await rejectsWith(client.restartVserver({ name: "held", timeoutSec: 0 }), "WRONG_STATE", /suspended/);
    const cliStart = spawnSync(binPath("vserver"), ["held", "start"], { env: host.env, encoding: "utf8" });
    assert.equal(cliStart.status, 4, cliStart.stderr);
    assert.match(cliStart.stderr, /suspended: unpaid invoice 17/);
    const status = spawnSync(binPath("vserver"), ["held", "status"], { env: host.env, encoding: "utf8" });
    assert.equal(status.status, 3);
    assert.match(status.stdout, /^Vserver 'held' is stopped\nDesired: suspended \(by panel, [^)]+\): unpaid invoice 17\n$/);

    // A reboot without a panel: the agent dies, every server's processes die with no
    // exit hook run (monitor first), the run states stay behind as after a power cut.
    await stopAgent("SIGKILL");
    fs.writeFileSync(path.join(host.paths.confDir, "api1/apps/init/mark"), "default\n"); // built with --no-boot
    const running = readRunState(host.paths, "api1")!;
    process.kill(running.monitorPid, "SIGKILL");
    process.kill(running.initPid, "SIGKILL");
    await until("api1's init to die", async () => !fs.existsSync(`/proc/${running.initPid}`));
    await startAgent();
    await until("api1 to be started again", async () => (await client.getVserver({ name: "api1" })).state === "running");
    assert.notEqual((await client.getVserver({ name: "api1" })).initPid, running.initPid);
    // The reconcile that started api1 has run over every server by now; give it no
    // benefit of the doubt on the others: they are read after it.
    const all = new Map((await client.listVservers({})).vservers.map((v) => [v.name, v]));
    assert.equal(all.get("held")?.state, "stopped");
    assert.equal(all.get("held")?.desired?.state, "suspended");
    assert.equal(all.get("cust")?.state, "stopped");
    assert.equal(all.get("cust")?.desired?.state, "stopped");

    // Lifting the suspension leaves it stopped but startable; a CLI start is recorded as the CLI's.
    assert.equal((await client.setDesiredState({ name: "held", state: "stopped", timeoutSec: 0 })).desired?.reason, null);
    assert.equal(spawnSync(binPath("vserver"), ["held", "start"], { env: host.env }).status, 0);
    assert.deepEqual([(await client.getVserver({ name: "held" })).desired?.state, (await client.getVserver({ name: "held" })).desired?.by], ["running", "cli"]);

    // A halt from inside is the guest's decision; a reboot from inside is not a stop.
    await client.startVserver({ name: "cust" });
    const before = (await client.getVserver({ name: "cust" })).initPid;
    await client.execInVserver({ name: "cust", argv: ["/bin/sh", "-c", "reboot"] });
    await until("cust to come back after its reboot", async () => {
      const v = await client.getVserver({ name: "cust" });
      return v.state === "running" && v.initPid !== before;
    });
    await client.execInVserver({ name: "cust", argv: ["/bin/sh", "-c", "poweroff"] });
    // The halt is recorded as the guest's decision (by the exit hook, before its clean-up).
    await until("cust's halt to be recorded", async () => (await client.getVserver({ name: "cust" })).desired?.by === "guest");
    const halted = await client.getVserver({ name: "cust" });
    assert.deepEqual([halted.state, halted.desired?.state], ["stopped", "stopped"]);
    await stopAgent("SIGTERM");
    await startAgent();
    await until("api1 to be reported", async () => (await client.getVserver({ name: "api1" })).state === "running");
    assert.equal((await client.getVserver({ name: "cust" })).state, "stopped");

    await client.stopVserver({ name: "held", timeoutSec: 0 });
    for (const name of ["held", "cust"]) await client.deleteVserver({ name });
  });

  it("stops (idempotently) and deletes", async () => {
    const stopped = await client.stopVserver({ name: "api1", timeoutSec: 0 });
    assert.equal(stopped.state, "stopped");
    assert.equal((await client.stopVserver({ name: "api1", timeoutSec: 0 })).state, "stopped");
    assert.deepEqual(await client.deleteVserver({ name: "once" }), { name: "once" });
    await rejectsWith(client.getVserver({ name: "once" }), "NOT_FOUND");
  });

  it("a new agent starts servers marked for boot, fails interrupted operations and removes half-built servers", async () => {
    await stopAgent("SIGTERM");
    // A util-vserver configuration: no record of a decision, so the boot mark alone decides.
    fs.rmSync(path.join(host.paths.confDir, "api1/desired"));
    fs.writeFileSync(path.join(host.paths.confDir, "api1/apps/init/mark"), "default\n");
    // What a crashed agent leaves: a running operation record and a half-built server.
    const opId = "00000000-0000-4000-8000-000000000001";
    fs.writeFileSync(path.join(host.paths.runDir, "operations", `${opId}.json`), JSON.stringify({
      id: opId, type: "build", target: "half", state: "running", progress: 10, lines: [], nextLine: 0, error: null,
      startedAt: new Date().toISOString(), finishedAt: null, agentPid: 999_999_999,
    }));
    fs.mkdirSync(path.join(host.paths.confDir, "half"));
    fs.writeFileSync(path.join(host.paths.confDir, "half/.build-incomplete"), "1\n");
    await startAgent();
    const op = await client.getOperation({ id: opId });
    assert.equal(op.state, "failed");
    assert.match(op.error?.message ?? "", /interrupted/);
    await until("the marked server to start", async () => (await client.getVserver({ name: "api1" })).state === "running");
    await until("the half-built server to go", async () => !fs.existsSync(path.join(host.paths.confDir, "half")));
    assert.deepEqual((await client.listVservers({})).vservers.map((v) => v.name), ["api1"]);
    assert.equal(spawnSync(binPath("vserver"), ["api1", "status"], { env: host.env }).status, 0);
    await client.stopVserver({ name: "api1", timeoutSec: 0 });
    assert.equal(readRunState(host.paths, "api1"), null);
  });
});
