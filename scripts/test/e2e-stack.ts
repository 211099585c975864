/**
 * The real stack for browser tests: a fresh SQLite database, the production build, a
 * real agent on temporary VSERVER_* directories, and the panel on a free port, each in
 * its own process as in production. The tests get the URL and logins through env.
 */
import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { buildIfStale } from "../start/build-if-stale";
import { startAgent, type AgentChild } from "../start/agent-process";

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

/** Builds if needed and starts database, agent and panel. */
export async function startE2eStack(root: string): Promise<E2eStack> {
  buildIfStale(root);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vst-e2e-"));
  const port = await freePort();
  const adminPassword = crypto.randomBytes(12).toString("base64url");
  const env: Record<string, string> = {
    DATABASE_URL: `file:${path.join(dir, "panel.db")}`,
    NEXTAUTH_SECRET: crypto.randomBytes(32).toString("base64url"),
    NEXTAUTH_URL: `http://localhost:${port}`,
    PORT: String(port),
    VSERVER_CONFDIR: path.join(dir, "etc"),
    VSERVER_ROOTDIR: path.join(dir, "vservers"),
    VSERVER_RUNDIR: path.join(dir, "run"),
    VSERVER_CGROUP_PARENT: `vst-e2e-${process.pid}`,
    ADMIN_EMAIL: "admin@example.com",
    ADMIN_PASSWORD: adminPassword,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    HOSTNAME: "127.0.0.1",
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
  let panel: ChildProcess | undefined;
  const stop = async (): Promise<void> => {
    if (panel && panel.exitCode === null) {
      const exited = new Promise((r) => panel!.once("exit", r));
      panel.kill("SIGTERM");
      await exited;
    }
    await agent?.stop();
    await db.$disconnect().catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    agent = await startAgent(root, fullEnv, path.join(env.VSERVER_RUNDIR!, "agent.sock"), path.join(env.VSERVER_CONFDIR!, ".agent", "credential"));
    await registerLocalHost(db, agent.endpoint, agent.token);
    panel = spawn(process.execPath, ["--import", "tsx", path.join(root, "server.ts")], { cwd: root, env: fullEnv, stdio: ["ignore", "inherit", "inherit"] });
    await waitForHttp(`http://127.0.0.1:${port}/login`, panel, 60_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    env: { E2E_BASE_URL: `http://localhost:${port}`, E2E_ADMIN_EMAIL: env.ADMIN_EMAIL!, E2E_ADMIN_PASSWORD: adminPassword, E2E_DATABASE_URL: env.DATABASE_URL!, E2E_DIR: dir },
    stop,
  };
}
