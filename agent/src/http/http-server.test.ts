/**
 * The agent API over a real unix socket: authentication, the route table, input
 * parsing with field names, and the typed client's view of each outcome.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import http from "node:http";
import { createAgentClient, AgentError } from "@/lib/agent-client";
import { ensureCredential, readToken, rotateCredential, hashToken } from "../auth/credential";
import { createApiServer } from "./http-server";
import { listen } from "./listen";

let dir: string;
let server: http.Server;
let socket: string;
let hash: string;

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "vst-api-"));
  const paths = { confDir: path.join(dir, "etc"), rootDir: path.join(dir, "root"), runDir: path.join(dir, "run") };
  hash = ensureCredential(path.join(paths.confDir, ".agent")).hash;
  socket = path.join(paths.runDir, "agent.sock");
  server = await listen(createApiServer({ paths, credentialHash: () => hash }), { kind: "unix", path: socket });
});

after(async () => {
  await new Promise((r) => server.close(r));
  fs.rmSync(dir, { recursive: true, force: true });
});

function raw(pathname: string, body: string | undefined, headers: Record<string, string> = {}): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath: socket, path: pathname, method: body === undefined ? "GET" : "POST", headers }, (res) => {
      let text = "";
      res.on("data", (c) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

test("the typed client calls health with the credential", async () => {
  const token = readToken(path.join(dir, "etc", ".agent"));
  const result = await createAgentClient({ endpoint: `unix:${socket}`, credential: token }).health({});
  assert.equal(result.protocolVersion, 1);
  assert.ok(result.cpuCores > 0);
  assert.equal(fs.statSync(socket).mode & 0o777, 0o660);
});

test("a wrong or missing credential gets 401 and an AgentError", async () => {
  const r = await raw("/v1/health", "{}");
  assert.equal(r.status, 401);
  await assert.rejects(createAgentClient({ endpoint: `unix:${socket}`, credential: "vsa_wrong" }).health({}), (e: unknown) => e instanceof AgentError && e.code === "UNAUTHORIZED" && e.status === 401 && e.requestId.length > 0);
});

test("unknown operations, bad JSON and unknown fields are 4xx with a clear message", async () => {
  const auth = { authorization: `Bearer ${readToken(path.join(dir, "etc", ".agent"))}`, "x-request-id": "req-1" };
  const unknown = await raw("/v1/formatDisk", "{}", auth);
  assert.equal(unknown.status, 404);
  const badJson = await raw("/v1/health", "{nope", auth);
  assert.equal(badJson.status, 400);
  assert.match(JSON.stringify(badJson.json), /not valid JSON/);
  const extra = await raw("/v1/health", JSON.stringify({ cmd: "rm -rf /" }), auth);
  assert.equal(extra.status, 400);
  assert.match(JSON.stringify(extra.json), /cmd/);
  assert.equal((extra.json as { error: { requestId: string } }).error.requestId, "req-1");
});

test("a rotated credential replaces the old one", async () => {
  const stateDir = path.join(dir, "etc", ".agent");
  const old = readToken(stateDir);
  const fresh = rotateCredential(stateDir);
  hash = hashToken(fresh);
  await assert.rejects(createAgentClient({ endpoint: `unix:${socket}`, credential: old }).health({}), /credential/);
  assert.equal((await createAgentClient({ endpoint: `unix:${socket}`, credential: fresh }).health({})).protocolVersion, 1);
});
