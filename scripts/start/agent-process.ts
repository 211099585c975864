/**
 * Runs an agent as a child process and waits until its API answers. The agent stays a
 * separate process (as in production, where it is its own systemd unit), so the panel
 * never needs root for anything but starting it here.
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

/** Where the started agent answers and how to trust it. */
export interface AgentReach {
  /** `unix:/path` or `https://host:port`. */
  endpoint: string;
  /** The agent's credential file (created at its first start). */
  credentialFile: string;
  /** A file with the PEM to trust (https only; the agent may create it at start). */
  caFile?: string;
}

/**
 * Starts the agent (its bundle, as it ships; the sources through tsx when not built) and
 * waits for `health`. `stderr: "pipe"` hands the agent's log to the caller (who must read
 * `process.stderr`) instead of this process's terminal. `prefix` runs it through a command
 * that execs the rest (the multi-host bed's `nsenter --net=… --`).
 */
export async function startAgent(root: string, env: NodeJS.ProcessEnv, reach: AgentReach, options: { stderr?: "inherit" | "pipe"; prefix?: string[] } = {}): Promise<AgentChild> {
  const bundle = path.join(root, "agent", "dist", "agent.mjs");
  const args = fs.existsSync(bundle) ? [bundle] : ["--import", "tsx", path.join(root, "agent", "src", "main.ts")];
  // A prefix that execs its last words (nsenter … --) keeps the agent as the child itself.
  const [cmd, ...cmdArgs] = [...(options.prefix ?? []), process.execPath, ...args];
  const child = spawn(cmd!, cmdArgs, { cwd: root, env, stdio: ["ignore", "inherit", options.stderr ?? "inherit"] });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const deadline = Date.now() + 30_000;
  let lastError = "";
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the agent exited with code ${child.exitCode} during start-up`);
    if (fs.existsSync(reach.credentialFile) && (!reach.caFile || fs.existsSync(reach.caFile))) {
      const token = fs.readFileSync(reach.credentialFile, "utf8").trim();
      const ca = reach.caFile ? fs.readFileSync(reach.caFile, "utf8") : undefined;
      try {
        await createAgentClient({ endpoint: reach.endpoint, credential: token, tls: ca ? { ca } : undefined }).health({}, { timeoutMs: 2000 });
        // An answer from another agent on the same socket is not this one's.
        if (child.exitCode !== null) throw new Error(`the agent exited with code ${child.exitCode} during start-up (another agent answers on ${reach.endpoint})`);
        return {
          process: child,
          endpoint: reach.endpoint,
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

/** The reach of an agent on its default unix socket under the given VSERVER_* dirs. */
export function unixReach(paths: { runDir: string; confDir: string }): AgentReach {
  return { endpoint: `unix:${path.join(paths.runDir, "agent.sock")}`, credentialFile: path.join(paths.confDir, ".agent", "credential") };
}
