/**
 * More panel instances on the stack's PostgreSQL, started as production runs them
 * (`server.ts`, NODE_ENV=production, the stack's secret), for the tests of several
 * instances (two-instances, job-takeover). Each is a child process of the test; the test
 * stops them in its `after`, also when it failed.
 */
import { spawn, type ChildProcess } from "node:child_process";
import http from "node:http";
import https from "node:https";
import net from "node:net";
import path from "node:path";
import type { Page } from "playwright-core";

const repo = path.resolve(import.meta.dirname, "../..");

/** A panel instance this test started. */
export interface PanelInstance {
  child: ChildProcess;
  port: number;
  /** Its own address (http, loopback). */
  url: string;
}

/** A free TCP port on the loopback. */
export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

async function answers(url: string, ca?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = (u.protocol === "https:" ? https.request : http.request)({ hostname: u.hostname, port: u.port, path: u.pathname, method: "GET", ca, servername: "localhost" }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", reject);
    req.end();
  });
}

/** Waits until `url` answers below 500 (trusting `ca` for https); fails when `child` exits first. */
export async function waitUp(url: string, child: ChildProcess, ca?: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${url}: the process exited with ${child.exitCode ?? child.signalCode}`);
    try {
      if ((await answers(url, ca)) < 500) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not come up`);
}

/**
 * Starts one more panel instance on the stack's database and waits until it answers.
 * `publicUrl` is its NEXTAUTH_URL (nginx's address behind a proxy; its own when the
 * browser talks to it directly, the default); `env` adds settings (TRUST_PROXY, JOB_LEASE_MS).
 */
export async function startPanelInstance(options: { publicUrl?: (port: number) => string; env?: Record<string, string> } = {}): Promise<PanelInstance> {
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", path.join(repo, "server.ts")], {
    cwd: repo,
    env: {
      ...process.env,
      DATABASE_URL: process.env.E2E_DATABASE_URL,
      NEXTAUTH_SECRET: process.env.E2E_NEXTAUTH_SECRET,
      NEXTAUTH_URL: options.publicUrl?.(port) ?? `http://localhost:${port}`,
      PORT: String(port),
      HOSTNAME: "127.0.0.1",
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      ...options.env,
    },
    // Piped, not inherited: an instance left behind by a test killed at its time limit
    // must not hold the test runner's output open (the runner would wait for it forever);
    // its next write then fails and ends it.
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.pipe(process.stdout);
  child.stderr?.pipe(process.stderr);
  const instance = { child, port, url: `http://localhost:${port}` };
  try {
    await waitUp(`http://127.0.0.1:${port}/login`, child);
  } catch (error) {
    await stopProcess(child);
    throw error;
  }
  return instance;
}

/** Ends a child process the test started (SIGTERM, and waits); nothing when it has ended already. */
export async function stopProcess(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  await gone;
}

/**
 * page.goto, once more when Chromium dropped the navigation because the machine's links
 * changed (a server's veth appearing: ERR_NETWORK_CHANGED), as a user would reload.
 */
export async function gotoAgain(page: Page, url: string): Promise<void> {
  try {
    await page.goto(url);
  } catch (error) {
    if (!String(error).includes("ERR_NETWORK_CHANGED")) throw error;
    await page.goto(url);
  }
}
