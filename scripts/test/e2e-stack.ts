/**
 * The real stack for browser tests: a fresh database (SQLite, or PostgreSQL when given
 * its URL), the production build, a real agent on temporary VSERVER_* directories, and
 * the panel on a free port, each in its own process as in production. The agent is
 * supervised as systemd would (Restart=always): a test may kill it to play a crash or a
 * reboot of the agent, and a new one comes up on the same socket and credential. The
 * tests get the URL, logins and the host's directories through env.
 */
import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { buildIfStale } from "../start/build-if-stale";
import { startAgent, unixReach, type AgentChild } from "../start/agent-process";
import { superviseAgent } from "../start/supervise-agent";
import { makeTempHost, type TempHost } from "@/agent/src/ops/testing/temp-host";

/** A running stack. */
export interface E2eStack {
  env: Record<string, string>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

async function waitForHttp(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`panel exited with code ${child.exitCode}`);
    try {
      const res = await fetch(url, { redirect: "manual" });
      if (res.status < 500) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`panel did not answer at ${url} within ${timeoutMs} ms`);
}

/** Puts a temp host's VSERVER_* variables back into this process (its cleanup reads them). */
function applyHostEnv(host: TempHost): void {
  for (const key of ["VSERVER_CONFDIR", "VSERVER_ROOTDIR", "VSERVER_RUNDIR", "VSERVER_CGROUP_PARENT"]) process.env[key] = host.env[key];
}

/**
 * Builds if needed and starts the database, the local agent (enrolled as the local host,
 * as `npm start` does), a second agent that tests may enroll as another host, and the
 * panel. `stop()` removes every server the tests made on either host.
 */
export async function startE2eStack(root: string, options: { databaseUrl?: string } = {}): Promise<E2eStack> {
  buildIfStale(root);
  // Agents sample every 2 s (the history's step stays 10 s), so usage tests need not wait long.
  process.env.AGENT_SAMPLE_INTERVAL_MS = "2000";
  const second = makeTempHost();
  const main = makeTempHost();
  const dir = main.base;
  const port = await freePort();
  const adminPassword = crypto.randomBytes(12).toString("base64url");
  const env: Record<string, string> = {
    DATABASE_URL: options.databaseUrl ?? `file:${path.join(dir, "panel.db")}`,
    NEXTAUTH_SECRET: crypto.randomBytes(32).toString("base64url"),
    NEXTAUTH_URL: `http://localhost:${port}`,
    PORT: String(port),
    VSERVER_CONFDIR: main.paths.confDir,
    VSERVER_ROOTDIR: main.paths.rootDir,
    VSERVER_RUNDIR: main.paths.runDir,
    VSERVER_CGROUP_PARENT: main.env.VSERVER_CGROUP_PARENT!,
    ADMIN_EMAIL: "admin@example.com",
    ADMIN_PASSWORD: adminPassword,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    HOSTNAME: "127.0.0.1",
    // Quicker rounds of the usage and notification machinery than production's.
    EVENT_RETRY_BASE_MS: "2000",
    TRAFFIC_ACCOUNT_MS: "2000",
    USAGE_TAIL_MS: "2000",
  };
  const fullEnv = { ...process.env, ...env };
  Object.assign(process.env, env);
  const { migrate } = await import("@/lib/db/migrate");
  const { createDb } = await import("@/lib/db/client");
  const { databaseTarget } = await import("@/lib/db/url");
  const { seedFirstAdmin } = await import("@/lib/server/setup/seed-first-admin");
  const { registerLocalHost } = await import("@/lib/server/setup/register-local-host");
  const target = databaseTarget(env.DATABASE_URL);
  await migrate(target);
  const db = createDb(target);
  await seedFirstAdmin(db, fullEnv);

  let agent: AgentChild | undefined;
  let agent2: AgentChild | undefined;
  let panel: ChildProcess | undefined;
  let stopping = false;
  const pidFile = path.join(dir, "agent.pid");
  // Restarts the main agent whenever it ends while the stack runs (as systemd would).
  const supervise = (child: AgentChild): void =>
    superviseAgent(child, {
      start: () => startAgent(root, fullEnv, unixReach(main.paths)),
      started: (next) => {
        agent = next;
        fs.writeFileSync(pidFile, String(next.process.pid));
      },
      stopping: () => stopping,
      say: (line) => console.error(`e2e stack: ${line}`),
      firstDelayMs: 100,
      maxDelayMs: 1000,
    });
  const stop = async (): Promise<void> => {
    stopping = true;
    if (panel && panel.exitCode === null) {
      const exited = new Promise((r) => panel!.once("exit", r));
      panel.kill("SIGTERM");
      await exited;
    }
    await agent?.stop();
    await agent2?.stop();
    await db.$disconnect().catch(() => undefined);
    for (const host of [main, second]) {
      applyHostEnv(host);
      await host.cleanup();
    }
  };
  try {
    agent = await startAgent(root, fullEnv, unixReach(main.paths));
    supervise(agent);
    agent2 = await startAgent(root, second.env, unixReach(second.paths));
    await registerLocalHost(db, agent.endpoint, agent.token);
    panel = spawn(process.execPath, ["--import", "tsx", path.join(root, "server.ts")], { cwd: root, env: fullEnv, stdio: ["ignore", "inherit", "inherit"] });
    await waitForHttp(`http://127.0.0.1:${port}/login`, panel, 60_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    env: {
      E2E_BASE_URL: `http://localhost:${port}`,
      E2E_ADMIN_EMAIL: env.ADMIN_EMAIL!,
      E2E_ADMIN_PASSWORD: adminPassword,
      E2E_DATABASE_URL: env.DATABASE_URL!,
      E2E_NEXTAUTH_SECRET: env.NEXTAUTH_SECRET!,
      E2E_DIR: dir,
      E2E_AGENT_ENDPOINT: agent.endpoint,
      E2E_AGENT_CREDENTIAL: agent.token,
      E2E_HOST2_ENDPOINT: agent2.endpoint,
      E2E_HOST2_CREDENTIAL: agent2.token,
      /** The stack's panel process (a test of several instances pauses it while another instance claims a job). */
      E2E_PANEL_PID: String(panel.pid),
      /** The supervised agent's pid (rewritten after each restart). */
      E2E_AGENT_PID_FILE: pidFile,
      /** The local host's directories, for the CLI (`vserver NAME status`) behind the panel's back. */
      E2E_VSERVER_CONFDIR: main.paths.confDir,
      E2E_VSERVER_ROOTDIR: main.paths.rootDir,
      E2E_VSERVER_RUNDIR: main.paths.runDir,
      E2E_VSERVER_CGROUP_PARENT: main.env.VSERVER_CGROUP_PARENT!,
      E2E_DATABASE_KIND: env.DATABASE_URL!.startsWith("file:") ? "sqlite" : "postgresql",
    },
    stop,
  };
}
