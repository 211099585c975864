/**
 * Runs the local agent as a child process and waits until its API answers. The agent
 * stays a separate process (as in production, where it is its own systemd unit), so
 * the panel never needs root for anything but starting it here.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { createAgentClient } from "@/lib/agent-client";

/** A running agent child. */
export interface AgentChild {
  process: ChildProcess;
  endpoint: string;
  token: string;
  /** Stops the agent (SIGTERM) and waits for it. */
  stop(): Promise<void>;
}

/** Starts the agent (its bundle, as it ships; the sources through tsx when not built) and waits for `health`. */
export async function startAgent(root: string, env: NodeJS.ProcessEnv, socketPath: string, credentialFile: string): Promise<AgentChild> {
  const bundle = path.join(root, "agent", "dist", "agent.mjs");
  const args = fs.existsSync(bundle) ? [bundle] : ["--import", "tsx", path.join(root, "agent", "src", "main.ts")];
  const child = spawn(process.execPath, args, {
    cwd: root,
    env,
    stdio: ["ignore", "inherit", "inherit"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const endpoint = `unix:${socketPath}`;
  const deadline = Date.now() + 30_000;
  let lastError = "";
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the agent exited with code ${child.exitCode} during start-up`);
    if (fs.existsSync(credentialFile) && fs.existsSync(socketPath)) {
      const token = fs.readFileSync(credentialFile, "utf8").trim();
      try {
        await createAgentClient({ endpoint, credential: token }).health({}, { timeoutMs: 2000 });
        return {
          process: child,
          endpoint,
          token,
          async stop() {
            if (child.exitCode === null) child.kill("SIGTERM");
            await exited;
          },
        };
      } catch (error) {
        lastError = String(error);
      }
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill("SIGKILL");
  throw new Error(`the agent did not answer within 30 s (${lastError})`);
}
