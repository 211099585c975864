/**
 * Driving a temp host through the product in root tests: the CLI (agent/bin, the
 * bundle) and the agent daemon's API; a shell command inside a server, waiting for a
 * condition, a test binary put into a guest (through guestfs, as the agent writes guest
 * files).
 */
import { spawn, spawnSync } from "node:child_process";
import { closeSync, existsSync, openSync, readFileSync } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { createAgentClient, type AgentClient } from "@/lib/agent-client";
import { readToken } from "../../../auth/credential";
import { openGuestRoot } from "../../../kernel/guestfs/open-guest-root";
import { writeGuestFile } from "../../../kernel/guestfs/write-guest-file";
import { binPath, type TempHost } from "../../testing/temp-host";

const repoRoot = path.resolve(import.meta.dirname, "../../../../..");

/** A finished command. */
export interface Ran {
  code: number;
  out: string;
  err: string;
}

/** Runs `tool args` (agent/bin) against `host`. */
export function cli(host: TempHost, tool: string, args: string[], input?: string, timeoutMs = 120_000): Ran {
  const r = spawnSync(binPath(tool), args, { env: host.env, input, encoding: "utf8", timeout: timeoutMs });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

/** Like {@link cli} but without blocking the event loop (for work that runs while the test measures). */
export function cliAsync(host: TempHost, tool: string, args: string[], timeoutMs = 120_000): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn(binPath(tool), args, { env: host.env, stdio: ["ignore", "pipe", "pipe"], timeout: timeoutMs });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("close", (code, signal) => resolve({ code: code ?? (signal ? 128 : -1), out, err }));
  });
}

/** `vserver NAME exec /bin/sh -c script`. */
export function guestSh(host: TempHost, name: string, script: string, timeoutMs?: number): Ran {
  return cli(host, "vserver", [name, "exec", "/bin/sh", "-c", script], undefined, timeoutMs);
}

/** Polls `probe` every 25 ms until it gives a truthy value. */
export async function until<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, tries = 400): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const v = await probe();
    if (v) return v;
    await sleep(25);
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Copies a host file into a server's root (mode 0755), through the guest root's fd. */
export function copyIntoGuest(host: TempHost, name: string, guestPath: string, hostFile: string): void {
  const fd = openGuestRoot(`${host.paths.rootDir}/${name}`);
  try {
    writeGuestFile(fd, guestPath, readFileSync(hostFile), { mode: 0o755 });
  } finally {
    closeSync(fd);
  }
}

/** `vlimit NAME`'s two blocks (limits, then usage) as `key → value` maps. */
export function vlimitOutput(host: TempHost, name: string): { limits: Map<string, string>; usage: Map<string, string>; text: string } {
  const r = cli(host, "vlimit", [name]);
  if (r.code !== 0) throw new Error(`vlimit ${name} failed (${r.code}): ${r.err}`);
  const [limits = "", usage = ""] = r.out.split("\n\n");
  const parse = (block: string) =>
    new Map(
      block
        .split("\n")
        .map((l) => /^(\S+(?: \S+)?)\s{2,}(.*)$/.exec(l))
        .filter((m): m is RegExpExecArray => m !== null)
        .map((m) => [m[1]!, m[2]!]),
    );
  return { limits: parse(limits), usage: parse(usage), text: r.out };
}

/** A running agent daemon (the bundle) on a unix socket of the temp host, and its client. */
export interface TestDaemon {
  client: AgentClient;
  stop(): Promise<void>;
  /** Ends the daemon with `signal` (SIGKILL: a crash) and waits for its exit. */
  kill(signal: NodeJS.Signals): Promise<void>;
}

/** Starts `agent/dist/agent.mjs` for `host` and waits until it answers `health`. */
export async function startAgentDaemon(host: TempHost): Promise<TestDaemon> {
  const socket = path.join(host.base, "agent.sock");
  // The daemon's log goes to the host's base directory, for a failing test to read.
  const logFd = openSync(path.join(host.base, "agent.log"), "a");
  const child = spawn(process.execPath, [path.join(repoRoot, "agent/dist/agent.mjs")], {
    env: { ...host.env, AGENT_LISTEN: `unix:${socket}` },
    stdio: ["ignore", logFd, logFd],
  });
  closeSync(logFd);
  const exited = new Promise((r) => child.once("exit", r));
  const kill = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill(signal);
      await exited;
    }
  };
  const stop = () => kill("SIGTERM");
  try {
    const client = await until("the agent to answer", async () => {
      if (!existsSync(socket)) return undefined;
      try {
        const c = createAgentClient({ endpoint: `unix:${socket}`, credential: readToken(path.join(host.paths.confDir, ".agent")) });
        await c.health({});
        return c;
      } catch {
        return undefined;
      }
    }, 600);
    return { client, stop, kill };
  } catch (e) {
    await stop();
    throw e;
  }
}
