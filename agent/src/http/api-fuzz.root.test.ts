/**
 * The agent API under hostile input, against the real daemon (the bundle as it ships)
 * on a temporary host with one real busybox server running, with an address, so it has
 * a veth, routes and an nft table. Thousands of requests generated from the wire
 * contract with a fixed seed (malformed fields, hostile bodies, over-size bodies, wrong
 * methods, credentials and routes), requests that are valid but aimed at the running
 * server in ways that must be refused, and malformed HTTP. Shown: every request gets
 * an answer, none a 5xx, each error in the contract's shape naming the field the schema
 * names; the daemon is the same process afterwards and logged no crash; and the host is
 * exactly as before (configuration, run state, cgroups, mounts, links, nft table, the
 * server as the agent and the guest see it).
 */
import assert from "node:assert/strict";
import http from "node:http";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { createAgentClient, type AgentClient } from "@/lib/agent-client";
import { operations } from "@/lib/protocol";
import { startAgent, unixReach, type AgentChild } from "@/scripts/start/agent-process";
import { buildBundle, makeTempHost, type TempHost } from "../ops/testing/temp-host";
import { edgeRequests, generateJsonRequests, operationSafety, unclassifiedOperations, type FuzzRequest } from "./testing/fuzz/generate-requests";
import { diffHostState, snapshotHostState, type HostState } from "./testing/fuzz/host-state";
import { judgeAnswer } from "./testing/fuzz/judge-answer";
import { Random } from "./testing/fuzz/random";
import { sendRaw, sendRequest, type Answer } from "./testing/fuzz/raw-client";

const repo = path.resolve(import.meta.dirname, "../../..");
const seed = 0x5eed_2026;
const generatedCount = 3000;
const server = { name: "vstfuzz", context: 40_000 + (process.pid % 9000) };
// A benchmark-range address unlikely to be used by a concurrent test on this machine.
const address = `198.18.${200 + (process.pid % 50)}.${2 + ((process.pid >> 6) % 250)}`;

let host: TempHost;
let agent: AgentChild;
let client: AgentClient;
let socketPath = "";
let before0: HostState;
const agentLog: string[] = [];
const failures: string[] = [];
const statuses = new Map<number, number>();

async function until<T>(what: string, probe: () => Promise<T | undefined>, tries = 1200): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const v = await probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Sends the requests, `parallel` at a time, judging each answer. */
async function run(requests: FuzzRequest[], parallel: number): Promise<void> {
  const pool = new http.Agent({ keepAlive: true, maxSockets: parallel });
  let next = 0;
  const worker = async () => {
    while (next < requests.length) {
      const req = requests[next++]!;
      const headers: Record<string, string> = { "content-type": "application/json", ...req.headers };
      if (req.auth === "valid") headers.authorization = `Bearer ${agent.token}`;
      else if (req.auth !== null) headers.authorization = req.auth;
      const answer: Answer = await sendRequest(socketPath, pool, { method: req.method, path: req.path, headers, body: req.body });
      if (!("error" in answer)) statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
      const wrong = judgeAnswer(req, answer);
      if (wrong) failures.push(`${req.method} ${req.path.slice(0, 60)} [${req.note}]: ${wrong}`);
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  pool.destroy();
}

function report(what: string): void {
  assert.deepEqual(failures.slice(0, 40), [], `${failures.length} wrong answers ${what}`);
}

describe("agent API fuzz (real daemon, one running busybox server)", () => {
  before(async () => {
    buildBundle();
    host = makeTempHost();
    socketPath = path.join(host.paths.runDir, "agent.sock");
    agent = await startAgent(repo, host.env, unixReach(host.paths), { stderr: "pipe" });
    agent.process.stderr!.setEncoding("utf8").on("data", (chunk: string) => agentLog.push(...chunk.split("\n").filter(Boolean)));
    client = createAgentClient({ endpoint: agent.endpoint, credential: agent.token, defaultTimeoutMs: 60_000 });
    const { operationId } = await client.createVserver({
      name: server.name,
      hostname: `${server.name}.example.test`,
      method: "busybox",
      context: server.context,
      interfaces: [{ address, prefix: 32 }],
      startOnBoot: false,
      start: true,
    });
    const op = await until("the build", async () => {
      const o = await client.getOperation({ id: operationId });
      return o.state === "running" ? undefined : o;
    });
    assert.equal(op.state, "succeeded", JSON.stringify(op.error));
    assert.equal((await client.getVserver({ name: server.name })).state, "running");
    before0 = await snapshotHostState(host.paths, host.base, host.env.VSERVER_CGROUP_PARENT!, client, server);
    assert.ok(before0.network!.some((l) => l.startsWith("link ")), `the server has a host-side link: ${before0.network!.join("; ")}`);
    assert.ok(before0.network!.some((l) => l.startsWith("nft table")), "the server has its nft table");
  });
  after(async () => {
    await agent?.stop();
    await host?.cleanup();
  });

  it("classifies every operation of the contract", () => {
    assert.deepEqual(unclassifiedOperations(Object.keys(operations), operationSafety), [], "add these operations to operationSafety in testing/fuzz/generate-requests.ts");
    assert.ok(Object.keys(operations).length >= 18);
  });

  it(`answers ${generatedCount} generated requests (seed ${seed.toString(16)}) with a 4xx or a harmless 200, naming the field`, async () => {
    const requests = generateJsonRequests(new Random(seed), { existing: server.name, missing: ["vstnx", "nosuch", "a-b-c"] }, generatedCount);
    assert.equal(requests.length, generatedCount);
    for (const op of Object.keys(operations)) assert.ok(requests.some((r) => r.op === op), `no request for ${op}`);
    await run(requests, 8);
    report("to generated requests");
  });

  it("answers hostile bodies, bodies over 1 MiB, wrong methods, wrong credentials and unknown routes for every operation", async () => {
    const requests = edgeRequests(agent.token);
    await run(requests, 4);
    report("to the fixed edge cases");
  });

  it("refuses requests that are valid by schema but must not change the running server", async () => {
    const s = server.name;
    // "answer": any status below 500 (the agent may run it or refuse it; the state check below has the last word).
    const cases: { body: object; op: string; status: number | "ok" | "answer"; note: string }[] = [
      { op: "createVserver", body: { name: s, hostname: "x.example.test", method: "busybox" }, status: 409, note: "a taken name" },
      { op: "deleteVserver", body: { name: s }, status: 409, note: "deleting a running server" },
      { op: "startVserver", body: { name: s }, status: "ok", note: "starting a running server is a no-op" },
      { op: "execInVserver", body: { name: s, argv: ["/bin/true\u0000--now"] }, status: 400, note: "NUL in an argument" },
      { op: "execInVserver", body: { name: s, argv: ["/bin/sh", "-c", "exit 3"] }, status: "ok", note: "an exit status" },
      { op: "execInVserver", body: { name: s, argv: ["/no/such/binary"] }, status: "answer", note: "a missing binary" },
      { op: "execInVserver", body: { name: s, argv: ["ü/../名前"] }, status: "answer", note: "a unicode path" },
      { op: "execInVserver", body: { name: s, argv: ["/bin/sleep", "30"], timeoutMs: 100 }, status: "ok", note: "a timeout" },
      { op: "execInVserver", body: { name: s, argv: ["/bin/cat"], stdin: "x".repeat(512 * 1024), maxOutputBytes: 1 }, status: "ok", note: "output cut at one byte" },
      { op: "runVserver", body: { name: s, argv: ["/bin/true"] }, status: 409, note: "run on a running server" },
      { op: "setRootAccess", body: { name: s, rootPassword: "line\nbreak-123" }, status: 400, note: "a password with a line break" },
      { op: "setRootAccess", body: { name: s, sshKeys: ["ssh-ed25519 AAAA\nssh-rsa BBBB injected"] }, status: 400, note: "a key with a line break" },
      { op: "setRootAccess", body: { name: s, sshKeys: ["not a key"] }, status: 400, note: "not a key" },
      { op: "removeAddress", body: { name: s, address: { address: "192.0.2.250", prefix: 32 } }, status: 404, note: "an address it does not have" },
      ...["0.0.0.0", "127.0.0.1", "169.254.0.1", "224.0.0.1", "255.255.255.255"].map((a) => ({ op: "addAddress", body: { name: s, address: { address: a, prefix: 32 } }, status: 400, note: `address ${a}` })),
      ...["::", "::1", "fe80::1", "ff02::1"].map((a) => ({ op: "addAddress", body: { name: s, address: { address: a, prefix: 128 } }, status: 400, note: `address ${a}` })),
      { op: "addAddress", body: { name: s, address: { address: "192.0.2.0", prefix: 24 } }, status: 400, note: "a network address" },
      { op: "exportTemplate", body: { name: s, template: "vstfuzz-tpl" }, status: 409, note: "exporting a running server" },
      { op: "deleteTemplate", body: { template: "no-such-template" }, status: 404, note: "a missing template" },
      { op: "getOperation", body: { id: "../../etc/passwd" }, status: 404, note: "an operation id with a path" },
      { op: "listProcesses", body: { name: "vstnx" }, status: 404, note: "processes of a missing server" },
    ];
    const wrong: string[] = [];
    for (const c of cases) {
      if (!(c.op in operations)) continue;
      const answer = await sendRequest(socketPath, new http.Agent(), {
        method: "POST",
        path: `/v1/${c.op}`,
        headers: { authorization: `Bearer ${agent.token}`, "content-type": "application/json" },
        body: JSON.stringify(c.body),
      });
      if ("error" in answer) wrong.push(`${c.op} (${c.note}): no answer: ${answer.error}`);
      else if (c.status === "answer" ? answer.status >= 500 : c.status === "ok" ? answer.status !== 200 : answer.status !== c.status) wrong.push(`${c.op} (${c.note}): ${answer.status} ${answer.body.slice(0, 200)}`);
    }
    assert.deepEqual(wrong, []);
  });

  it("answers malformed HTTP with a 4xx and keeps serving", async () => {
    const token = agent.token;
    const raw = [
      "GARBAGE\r\n\r\n",
      "POST /v1/health HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
      "POST /v1/health HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
      `POST /v1/health HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n`,
      `POST /v1/health HTTP/1.1\r\nHost: x\r\n${"X-Pad: y\r\n".repeat(2000)}\r\n`,
      `POST /v1/health HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n`,
      "POST /v1/health HTTP/9.9\r\n\r\n",
      `POST /v1/h${Buffer.from("é").toString("latin1")}alth HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nContent-Length: 2\r\n\r\n{}`,
      `POST /v1/health HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
      `CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: 127.0.0.1:22\r\nAuthorization: Bearer ${token}\r\n\r\n`,
      `GET /v1/health HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`,
      `GET /v1/health HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`,
    ];
    const wrong: string[] = [];
    for (const bytes of raw) {
      const { status, text } = await sendRaw(socketPath, bytes);
      if (status === null || status < 400 || status >= 500) wrong.push(`${JSON.stringify(bytes.slice(0, 50))}: ${status ?? "no answer"} ${text.slice(0, 80)}`);
    }
    assert.deepEqual(wrong, []);
    assert.equal((await client.health({})).protocolVersion, 1);
  });

  it("is the same live process afterwards and logged no crash", async () => {
    assert.equal(agent.process.exitCode, null, "the agent is alive");
    const health = await client.health({});
    assert.ok(health.uptimeSeconds > 0);
    const crashes = agentLog.filter((l) => /"level":"error"/.test(l));
    assert.deepEqual(crashes.slice(0, 10), [], `${crashes.length} error-level log lines`);
    console.log(`answers by status: ${[...statuses.entries()].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s}×${n}`).join(" ")}`);
  });

  it("leaves the host exactly as it was: configuration, run state, cgroups, mounts, links, nft table, the server", async () => {
    const now = await snapshotHostState(host.paths, host.base, host.env.VSERVER_CGROUP_PARENT!, client, server);
    assert.deepEqual(diffHostState(before0, now), []);
    const info = await client.getVserver({ name: server.name });
    assert.equal(info.state, "running");
  });
});
