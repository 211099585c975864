/**
 * An agent that cannot be reached is reported in words a customer can act on, without
 * the socket path or a bare errno (real connections: a socket file that is not there, a
 * TCP port nobody listens on, a server that never answers).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import net from "node:net";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createAgentClient } from "./client";
import { AgentError } from "./agent-error";

async function failure(endpoint: string, timeoutMs = 5_000): Promise<AgentError> {
  const client = createAgentClient({ endpoint, credential: "x".repeat(32), defaultTimeoutMs: timeoutMs });
  const error = await client.health({}).then(
    () => null,
    (e: unknown) => e,
  );
  assert.ok(error instanceof AgentError, String(error));
  assert.equal(error.code, "UNREACHABLE");
  return error;
}

test("an agent that is not running, refuses, or never answers: the cause in words and what to do, no socket path", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vst-unreach-"));
  const silent = net.createServer(() => undefined);
  try {
    const missing = await failure(`unix:${path.join(dir, "agent.sock")}`);
    assert.equal(missing.message, "the host's agent could not be reached (it is not running); it may be restarting: try again in a minute");
    assert.ok(!missing.message.includes(dir));

    const free = net.createServer();
    await new Promise<void>((r) => free.listen(0, "127.0.0.1", r));
    const port = (free.address() as net.AddressInfo).port;
    await new Promise((r) => free.close(r));
    assert.match((await failure(`http://127.0.0.1:${port}`)).message, /could not be reached \(it refused the connection\); .*try again/);

    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
    assert.match((await failure(`http://127.0.0.1:${(silent.address() as net.AddressInfo).port}`, 300)).message, /could not be reached \(it did not answer within 300 ms\)/);
  } finally {
    silent.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
