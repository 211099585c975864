/**
 * An agent on a network address speaks TLS with a self-signed certificate it made at
 * first start; a client that trusts exactly that certificate reaches it, one that does
 * not is refused at the handshake, and the credential is still required. (127.0.0.2 is
 * a loopback address the agent treats as "a network": the traffic never leaves the host.)
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { AgentError, createAgentClient } from "@/lib/agent-client";
import { startAgent, type AgentChild } from "@/scripts/start/agent-process";
import { hostPaths } from "@/agent/src/config/paths";
import { stopOwnView } from "@/agent/src/ops/runtime/own-view";

const repo = path.resolve(import.meta.dirname, "../../..");
let dir: string;
let agent: AgentChild;
let ca: string;
let env: NodeJS.ProcessEnv;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.2", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "vst-tls-"));
  const port = await freePort();
  env = {
    ...process.env,
    VSERVER_CONFDIR: path.join(dir, "etc"),
    VSERVER_ROOTDIR: path.join(dir, "root"),
    VSERVER_RUNDIR: path.join(dir, "run"),
    VSERVER_CGROUP_PARENT: path.basename(dir),
    AGENT_LISTEN: `127.0.0.2:${port}`,
  };
  const caFile = path.join(dir, "etc", ".agent", "tls.crt");
  agent = await startAgent(repo, env, { endpoint: `https://127.0.0.2:${port}`, credentialFile: path.join(dir, "etc", ".agent", "credential"), caFile });
  ca = fs.readFileSync(caFile, "utf8");
});

after(async () => {
  await agent?.stop();
  // The agent's LXCFS outlives it by design (running servers read through it): this host's goes with it.
  if (env) await stopOwnView(hostPaths(env));
  // The agent made its (empty) cgroup parent in every hierarchy at start.
  for (const ctrl of fs.readdirSync("/sys/fs/cgroup")) {
    try {
      fs.rmdirSync(path.join("/sys/fs/cgroup", ctrl, path.basename(dir)));
    } catch {
      /* not made there */
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

test("the agent made a self-signed certificate with a root-only key", () => {
  assert.match(ca, /^-----BEGIN CERTIFICATE-----/);
  assert.equal(fs.statSync(path.join(dir, "etc", ".agent", "tls.key")).mode & 0o777, 0o600);
});

test("a client trusting that certificate reaches the agent over TLS", async () => {
  const health = await createAgentClient({ endpoint: agent.endpoint, credential: agent.token, tls: { ca } }).health({});
  assert.equal(health.protocolVersion, 1);
});

test("without the certificate the handshake fails; with a wrong credential it is 401", async () => {
  await assert.rejects(createAgentClient({ endpoint: agent.endpoint, credential: agent.token }).health({}), (e: unknown) => e instanceof AgentError && e.code === "UNREACHABLE" && /certificate/i.test(e.message));
  await assert.rejects(createAgentClient({ endpoint: agent.endpoint, credential: "vsa_wrong", tls: { ca } }).health({}), (e: unknown) => e instanceof AgentError && e.code === "UNAUTHORIZED");
});

test("plain TCP on a non-loopback address without TLS is refused by the agent itself", async () => {
  const { listenSpec } = await import("./listen");
  assert.throws(() => listenSpec("/x.sock", { AGENT_LISTEN: "192.0.2.5:8443" } as unknown as NodeJS.ProcessEnv), /needs AGENT_TLS_CERT/);
  assert.deepEqual(listenSpec("/x.sock", { AGENT_LISTEN: "127.0.0.1:4100" } as unknown as NodeJS.ProcessEnv), { kind: "tcp", host: "127.0.0.1", port: 4100 });
});
