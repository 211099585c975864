/**
 * The agent's console endpoint on the real kernel, through the bundled daemon as it
 * ships and the panel's own client (lib/realtime/console/agent-console-link): refusals
 * before the upgrade (no or wrong credential, bad query, unknown or stopped server), a
 * root login shell inside the server on a guest pty, window size changes seen by
 * `stty size`, UTF-8 both ways, several consoles at once, close and a dropped connection
 * hanging up the shell (nothing of it left in the guest), the idle limit, the shell's own
 * exit, and no guest process holding a host terminal.
 */
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { after, before, describe, it } from "node:test";
import WebSocket from "ws";
import { AgentError, createAgentClient, type AgentClient } from "@/lib/agent-client";
import { consoleUpgradePath, type ConsoleOpenQuery } from "@/lib/protocol/console";
import { openAgentConsole, type AgentConsoleEnd, type AgentConsoleLink } from "@/lib/realtime/console/agent-console-link";
import { readToken } from "@/agent/src/auth/credential";
import { buildBundle, makeTempHost, type TempHost } from "@/agent/src/ops/testing/temp-host";
import { consoleSpecDir } from "@/agent/src/ops/console/console-spec-file";

const repo = path.resolve(import.meta.dirname, "../../..");
const HOSTNAME = "vst-console.example.test";
let host: TempHost;
let agent: ChildProcess | undefined;
let client: AgentClient;
let socket = "";
let token = "";

/** A console under test: everything it printed, and how it ended. */
interface Opened {
  link: AgentConsoleLink;
  out(): string;
  ended: Promise<AgentConsoleEnd>;
}

function query(over: Partial<ConsoleOpenQuery> = {}): ConsoleOpenQuery {
  return { name: "vstcon", cols: 80, rows: 24, idle: 600, session: "test", ...over };
}

async function open(over: Partial<ConsoleOpenQuery> = {}, credential = token): Promise<Opened> {
  let text = "";
  let endNow: (e: AgentConsoleEnd) => void = () => {};
  const ended = new Promise<AgentConsoleEnd>((r) => (endNow = r));
  const link = await openAgentConsole({ endpoint: `unix:${socket}`, credential }, query(over), { onOutput: (d) => (text += d), onEnd: (e) => endNow(e) });
  return { link, out: () => text, ended };
}

async function until(what: string, probe: () => boolean | Promise<boolean>, tries = 400, seen?: () => string): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await probe()) return;
    await sleep(25);
  }
  throw new Error(`timed out waiting for ${what}${seen ? `; output so far: ${JSON.stringify(seen())}` : ""}`);
}

/** Types a command and waits for a marker it prints (the marker is computed, so the echo of the command line never matches). */
async function run(c: Opened, command: string): Promise<string> {
  const id = Math.random().toString(36).slice(2, 8);
  const before = c.out().length;
  c.link.send({ type: "input", data: `${command}; echo END${id}$((1+1))\r` });
  await until(`output of ${command}`, () => c.out().slice(before).includes(`END${id}2`), 400, c.out);
  return c.out().slice(before);
}

/** Processes inside the guest other than its init, as the agent's vps sees them (vs-enter
 * joins the server's cgroup but stays outside its pid namespace: it has no guest pid). */
async function guestProcesses(): Promise<{ pid: number; command: string }[]> {
  const { processes } = await client.listProcesses({ name: "vstcon" });
  return processes.filter((p) => p.guestPid !== null && p.guestPid !== 1);
}

/** The HTTP status an upgrade request gets (the credential is sent unless `headers` is given). */
function upgradeStatus(pathAndQuery: string, headers: Record<string, string> = { authorization: `Bearer ${token}` }): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws+unix:${socket}:${pathAndQuery}`, { headers });
    ws.on("unexpected-response", (_q, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on("open", () => {
      resolve(101);
      ws.terminate();
    });
    ws.on("error", () => resolve(-1));
  });
}

async function rejectsWith(p: Promise<unknown>, code: string, status: number): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof AgentError, String(e));
    assert.equal(e.code, code, e.message);
    assert.equal(e.status, status);
    return true;
  });
}

describe("agent console endpoint (busybox servers, real kernel)", () => {
  before(async () => {
    buildBundle();
    host = makeTempHost();
    socket = path.join(host.base, "agent.sock");
    agent = spawn(process.execPath, [path.join(repo, "agent/dist/agent.mjs")], { env: { ...host.env, AGENT_LISTEN: `unix:${socket}` }, stdio: ["ignore", "ignore", "ignore"] });
    await until("the agent", async () => {
      if (!fs.existsSync(socket)) return false;
      token = readToken(path.join(host.paths.confDir, ".agent"));
      client = createAgentClient({ endpoint: `unix:${socket}`, credential: token });
      return client.health({}).then(() => true, () => false);
    });
    for (const name of ["vstcon", "vstoff"]) {
      const { operationId } = await client.createVserver({ name, hostname: name === "vstcon" ? HOSTNAME : "vst-off.example.test", method: "busybox", startOnBoot: false });
      await until(`the build of ${name}`, async () => (await client.getOperation({ id: operationId })).state !== "running", 2400);
      assert.equal((await client.getOperation({ id: operationId })).state, "succeeded");
    }
    await client.startVserver({ name: "vstcon" });
  });
  after(async () => {
    if (agent && agent.exitCode === null) {
      const gone = new Promise((r) => agent!.once("exit", r));
      agent.kill("SIGTERM");
      await gone;
    }
    await host?.cleanup();
  });

  it("refuses before the upgrade: no or wrong credential, bad query, unknown and stopped servers", async () => {
    await rejectsWith(open({}, "vsa_wrong-credential"), "UNAUTHORIZED", 401);
    await rejectsWith(open({ cols: 0 }), "BAD_REQUEST", 400);
    await rejectsWith(open({ idle: 86_401 }), "BAD_REQUEST", 400);
    await rejectsWith(open({ name: "nosuch" }), "NOT_FOUND", 404);
    await rejectsWith(open({ name: "vstoff" }), "WRONG_STATE", 409);
    // Without any credential; with a field the endpoint does not know (there is nothing else to ask for).
    assert.equal(await upgradeStatus(consoleUpgradePath(query()), {}), 401);
    assert.equal(await upgradeStatus(`${consoleUpgradePath(query())}&argv=%2Fbin%2Ftrue`), 400);
    assert.equal(await upgradeStatus("/v1/exec?name=vstcon"), 404);
    // A plain request to the path is no operation.
    const plain = await new Promise<number>((resolve, reject) => {
      const req = http.request({ socketPath: socket, path: "/v1/console", method: "POST", headers: { authorization: `Bearer ${token}` } }, (res) => resolve(res.statusCode ?? 0));
      req.on("error", reject);
      req.end("{}");
    });
    assert.equal(plain, 404);
    assert.deepEqual(await guestProcesses(), [], "nothing was started in the guest");
  });

  it("opens a root login shell inside the server on a guest pty, UTF-8 both ways", async () => {
    const c = await open();
    const out = await run(c, "hostname; id -u; tty; printf 'Grüße €\\n'; echo ä€✓ | wc -c");
    assert.match(out, new RegExp(`^${HOSTNAME.replaceAll(".", "\\.")}\\r?$`, "m"));
    assert.match(out, /^0\r?$/m);
    assert.match(out, /^\/dev\/pts\/\d+\r?$/m);
    assert.match(out, /^Grüße €\r?$/m);
    assert.match(out, /^\s*9\r?$/m, "ä€✓ reached the guest as 8 UTF-8 bytes (+ newline)");
    assert.deepEqual(fs.readdirSync(consoleSpecDir(host.paths)), [], "the spec file is gone once vs-enter read it");
    c.link.close();
    assert.equal((await c.ended).reason, "closed");
  });

  it("follows window size changes (stty size inside)", async () => {
    const c = await open({ cols: 100, rows: 30 });
    assert.match(await run(c, "stty size"), /^30 100\r?$/m);
    c.link.send({ type: "resize", cols: 132, rows: 43 });
    await until("the new size", async () => /^43 132\r?$/m.test(await run(c, "stty size")));
    c.link.close();
    await c.ended;
  });

  it("no guest process holds a host terminal while a console is open", async () => {
    const c = await open();
    try {
      await run(c, "sleep 300 & true");
      const hostPts = fs.statSync("/dev/pts/ptmx").dev;
      let guestTtys = 0;
      for (const p of await guestProcesses()) {
        for (const fd of fs.readdirSync(`/proc/${p.pid}/fd`)) {
          let st: fs.Stats;
          try {
            st = fs.statSync(`/proc/${p.pid}/fd/${fd}`);
          } catch {
            continue;
          }
          if (!st.isCharacterDevice()) continue;
          const major = Math.floor(st.rdev / 256);
          if (major >= 136 && major <= 143) guestTtys++;
          assert.notEqual(st.dev, hostPts, `${p.command} (pid ${p.pid}) holds fd ${fd} on the host's devpts`);
        }
      }
      assert.ok(guestTtys >= 3, "the shell and its job hold the guest's pty");
    } finally {
      c.link.close();
      await c.ended;
    }
  });

  it("close hangs up the shell and its jobs: nothing of the console is left in the guest", async () => {
    await until("an empty guest", async () => (await guestProcesses()).length === 0);
    const c = await open();
    const out = await run(c, "sleep 1000 & echo SHELL=$$");
    assert.match(out, /SHELL=\d+/);
    assert.ok((await guestProcesses()).length >= 2);
    c.link.close();
    const end = await c.ended;
    assert.equal(end.reason, "closed");
    await until("the shell and its job to go", async () => (await guestProcesses()).length === 0);
  });

  it("a connection that drops without a close frame ends the shell too", async () => {
    const ws = new WebSocket(`ws+unix:${socket}:${consoleUpgradePath(query())}`, { headers: { authorization: `Bearer ${token}` } });
    await new Promise((resolve, reject) => {
      ws.on("message", resolve);
      ws.on("error", reject);
    });
    await until("the shell", async () => (await guestProcesses()).length === 1);
    ws.terminate();
    await until("the shell to go", async () => (await guestProcesses()).length === 0);
  });

  it("ends an idle console with reason idle, and a shell's own exit with its status", async () => {
    const idle = await open({ idle: 1 });
    const end = await idle.ended;
    assert.equal(end.reason, "idle");
    assert.equal(end.message, "no input for 1 second");
    const c = await open();
    c.link.send({ type: "input", data: "exit 3\r" });
    assert.deepEqual(await c.ended, { reason: "exited", code: 3, message: "the shell exited with status 3" });
    await until("an empty guest", async () => (await guestProcesses()).length === 0);
  });

  it("serves several consoles on one server at once, each its own shell", async () => {
    const consoles = await Promise.all([open(), open(), open()]);
    const pids = await Promise.all(consoles.map(async (c) => /SHELL=(\d+)/.exec(await run(c, "echo SHELL=$$"))?.[1]));
    assert.equal(new Set(pids).size, 3, `distinct shells: ${pids.join(", ")}`);
    for (const c of consoles) c.link.close();
    await Promise.all(consoles.map((c) => c.ended));
    await until("an empty guest", async () => (await guestProcesses()).length === 0);
  });
});
