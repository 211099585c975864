/**
 * Panel under load at 10,000 servers: the server list page, a server's page and
 * `GET /api/v1/servers`, each with autocannon (10 connections, 8 s), against a panel
 * whose database was seeded with 10,000 servers of 1,000 customers of 20 resellers —
 * and, in the same run, the same requests at 100 servers, so the ratio shows whether
 * the lists stay fast as the business grows. The floor is a static asset of the same
 * server. (SQLite, the embedded default; `BENCH_PANEL_SERVERS` changes the size.)
 */
import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { buildIfStale } from "@/scripts/start/build-if-stale";
import type { BenchTable } from "./lib/stats";

const root = path.resolve(import.meta.dirname, "..");
const big = Number(process.env.BENCH_PANEL_SERVERS ?? 10_000);
const small = 100;
const durationSec = Number(process.env.BENCH_PANEL_SECONDS ?? 8);

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

/** Seeds a fresh SQLite database with `servers` servers; returns an admin login and an API token. */
async function seed(file: string, servers: number, secret: string): Promise<{ email: string; password: string; token: string; serverId: string }> {
  process.env.DATABASE_URL = `file:${file}`;
  const { migrate } = await import("@/lib/db/migrate");
  const { createDb } = await import("@/lib/db/client");
  const { hashPassword } = await import("@/lib/security/password");
  const { createApiToken } = await import("@/lib/server/api-tokens/api-tokens");
  const { cliActor } = await import("@/lib/server/actor");
  const { databaseTarget } = await import("@/lib/db/url");
  const { seal } = await import("@/lib/security/secret-box");
  const { hostCredentialPurpose } = await import("@/lib/env");
  await migrate(databaseTarget(`file:${file}`));
  const db = createDb(databaseTarget(`file:${file}`));
  try {
    const password = "bench-password-1";
    const admin = await db.user.create({ data: { email: "bench-admin@example.com", role: "ADMIN", passwordHash: await hashPassword(password) } });
    const host = await db.host.create({ data: { name: "bench-host", endpoint: "unix:/nonexistent/agent.sock", credentialHash: "x", credentialCiphertext: seal(secret, hostCredentialPurpose, "bench-credential") } });
    const pool = await db.ipPool.create({ data: { name: "bench", family: "IPV4", cidr: "10.128.0.0/10", assignPrefix: 32 } });
    const plan = await db.plan.create({ data: { name: "Bench", cpuMilli: 1000, cpuMilliMax: 2000, memoryMb: 1024, memoryMbMax: 2048, diskMb: 10240, diskMbMax: 20480, pids: 256, pidsMax: 512 } });
    const resellers = Array.from({ length: 20 }, (_, i) => ({ id: `r${i}`, email: `reseller${i}@example.com`, role: "RESELLER" as const, passwordHash: "x" }));
    await db.user.createMany({ data: resellers });
    const customers = Array.from({ length: 1000 }, (_, i) => ({ id: `c${i}`, email: `customer${i}@example.com`, role: "CUSTOMER" as const, passwordHash: "x", resellerId: `r${i % 20}` }));
    await db.user.createMany({ data: customers });
    for (let start = 0; start < servers; start += 1000) {
      const n = Math.min(1000, servers - start);
      const rows = Array.from({ length: n }, (_, j) => {
        const i = start + j;
        return {
          id: `s${i}`,
          name: `vs${i}`,
          contextId: 100 + i,
          hostname: `vs${i}.example.com`,
          hostId: host.id,
          ownerId: `c${i % 1000}`,
          planId: plan.id,
          state: i % 7 === 0 ? ("STOPPED" as const) : ("RUNNING" as const),
          cpuMilli: 1000,
          memoryMb: 1024,
          diskMb: 10240,
          pids: 256,
        };
      });
      await db.vServer.createMany({ data: rows });
      await db.ipAddress.createMany({
        data: rows.map((r, j) => {
          const i = start + j + 2;
          return { poolId: pool.id, family: "IPV4" as const, address: `10.${128 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`, prefix: 32, vserverId: r.id };
        }),
      });
    }
    const token = (await createApiToken(db, cliActor(admin.id), { name: "bench" })).token;
    return { email: admin.email, password, token, serverId: `s${Math.floor(servers / 2)}` };
  } finally {
    await db.$disconnect();
  }
}

async function startPanel(dbFile: string, secret: string): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "server.ts")], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: `file:${dbFile}`, PORT: String(port), HOSTNAME: "127.0.0.1", NODE_ENV: "production", NEXTAUTH_URL: `http://localhost:${port}`, NEXTAUTH_SECRET: secret },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${url}/login`)).status < 500) return { url, child };
    } catch {
      /* starting */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill("SIGKILL");
  throw new Error("panel did not start");
}

async function sessionCookie(url: string, email: string, password: string): Promise<string> {
  const csrfRes = await fetch(`${url}/api/auth/csrf`);
  const jar = (csrfRes.headers.getSetCookie?.() ?? []).map((c) => c.split(";")[0]).join("; ");
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const res = await fetch(`${url}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar },
    body: new URLSearchParams({ csrfToken, email, password, json: "true" }),
  });
  const cookies = [jar, ...(res.headers.getSetCookie?.() ?? []).map((c) => c.split(";")[0])].join("; ");
  if (!cookies.includes("session-token")) throw new Error("bench login failed");
  return cookies;
}

interface Load {
  p50: number;
  p99: number;
  rps: number;
  errors: number;
  /** Latencies recorded (requests answered). */
  n: number;
}

async function load(url: string, headers: Record<string, string>): Promise<Load> {
  const r = await autocannon({ url, connections: 10, duration: durationSec, headers });
  return { p50: r.latency.p50, p99: r.latency.p99, rps: r.requests.average, errors: r.errors + r.non2xx, n: r.latency.totalCount };
}

/** Seeds, starts and measures one panel size. */
async function measure(servers: number): Promise<Record<string, Load>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vst-bench-panel-"));
  const file = path.join(dir, "panel.db");
  // The host's credential is sealed with the panel's secret, so the panel reaches for its
  // (absent) agent as it would for a real one, and fails at the connection.
  const secret = crypto.randomBytes(32).toString("hex");
  const login = await seed(file, servers, secret);
  const panel = await startPanel(file, secret);
  try {
    const cookie = await sessionCookie(panel.url, login.email, login.password);
    const out: Record<string, Load> = {};
    out.floor = await load(`${panel.url}/robots.txt`, {});
    out.list = await load(`${panel.url}/servers?page=${Math.max(1, Math.floor(servers / 50))}&q=vs1`, { cookie });
    out.detail = await load(`${panel.url}/servers/${login.serverId}`, { cookie });
    out.api = await load(`${panel.url}/api/v1/servers?pageSize=50&page=3`, { authorization: `Bearer ${login.token}` });
    return out;
  } finally {
    panel.child.kill("SIGTERM");
    await new Promise((r) => panel.child.once("exit", r));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs the benchmark. */
export async function run(): Promise<BenchTable[]> {
  // The panel runs as in production: from the bundle, built first when it is missing or stale.
  buildIfStale(root);
  const [at100, at10k] = [await measure(small), await measure(big)];
  const names: [string, string][] = [
    ["floor", "static asset (floor)"],
    ["list", "server list page (search, page)"],
    ["detail", "server page"],
    ["api", "GET /api/v1/servers"],
  ];
  return [
    {
      title: `Panel under load (autocannon, 10 connections, ${durationSec} s each; SQLite)`,
      samples: `every request completed in ${durationSec} s (BENCH_PANEL_SECONDS) per request type and size; the n columns count them`,
      header: ["request", `p50 ms @${small}`, `p50 ms @${big}`, `p99 ms @${big}`, `req/s @${big}`, `p50 ÷ @${small}`, `n @${small}`, `n @${big}`, "errors"],
      rows: names.map(([k, label]) => {
        const a = at100[k]!;
        const b = at10k[k]!;
        return [label, a.p50.toFixed(1), b.p50.toFixed(1), b.p99.toFixed(1), b.rps.toFixed(0), (b.p50 / Math.max(a.p50, 0.1)).toFixed(2), String(a.n), String(b.n), String(b.errors)];
      }),
      notes: ["the server page asks its (absent) agent for usage and shows it as unavailable; the agent call fails at once"],
    },
  ];
}
