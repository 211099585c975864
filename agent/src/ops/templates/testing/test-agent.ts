/**
 * The bundled agent daemon on a unix socket of a temp host, for root tests of the API
 * (as vservers-api.root.test.ts does), plus waiting for an operation to settle.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { createAgentClient, type AgentClient } from "@/lib/agent-client";
import type { OperationInfo } from "@/lib/protocol/vservers";
import { readToken } from "@/agent/src/auth/credential";
import type { TempHost } from "../../testing/temp-host";

const repo = path.resolve(import.meta.dirname, "../../../../..");

/** A running daemon. */
export interface TestAgent {
  client: AgentClient;
  stop(): Promise<void>;
}

/** Starts agent/dist/agent.mjs for `host` (build the bundle first). */
export async function startTestAgent(host: TempHost): Promise<TestAgent> {
  const socket = path.join(host.base, "agent.sock");
  const child: ChildProcess = spawn(process.execPath, [path.join(repo, "agent/dist/agent.mjs")], {
    env: { ...host.env, AGENT_LISTEN: `unix:${socket}` },
    stdio: ["ignore", "ignore", "ignore"],
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise((r) => child.once("exit", r));
    child.kill("SIGTERM");
    await gone;
  };
  for (let i = 0; i < 600; i++) {
    if (fs.existsSync(socket)) {
      try {
        const client = createAgentClient({ endpoint: `unix:${socket}`, credential: readToken(path.join(host.paths.confDir, ".agent")) });
        await client.health({});
        return { client, stop };
      } catch {
        /* not yet */
      }
    }
    await sleep(50);
  }
  await stop();
  throw new Error("agent did not come up");
}

/** Polls an operation until it is no longer running. */
export async function settled(client: AgentClient, id: string, timeoutMs = 600_000): Promise<OperationInfo> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const op = await client.getOperation({ id });
    if (op.state !== "running") return op;
    if (Date.now() > deadline) throw new Error(`operation ${id} still running after ${timeoutMs} ms`);
    await sleep(100);
  }
}
