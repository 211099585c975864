/**
 * Panel instances on one PostgreSQL behind nginx with TLS (issue 17; PostgreSQL only:
 * `.pg.spec.ts`): two instances started here as production runs them (TRUST_PROXY=1,
 * NEXTAUTH_URL the public https address), beside the stack's own instance on the same
 * database, behind Debian's nginx running the shipped site `deploy/nginx/vserver-panel.conf`
 * with only its addresses, name and certificate replaced (a self-signed certificate made
 * here). Through nginx a customer signs in and reads pages, the API answers a token, a
 * build's live progress and log arrive (the job runs in whichever of the three instances
 * claimed it: the others hear its writes by NOTIFY), and the browser console works through
 * nginx's WebSocket upgrade; the session cookie is accepted by each instance directly.
 * Screenshots: e2e/output/two-instances-*.png.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import https from "node:https";
import os from "node:os";
import path from "node:path";
import { createApiToken } from "@/lib/server/api-tokens/api-tokens";
import { openBrowser, login, type BrowserSession } from "../testing/browser";
import { typeLine, waitForJob, waitForLine } from "../console/console-fixture";
import { makeRealtimeFixture, startBuild, type RealtimeFixture } from "./realtime-fixture";
import { freePort, gotoAgain, startPanelInstance, stopProcess, waitUp, type PanelInstance } from "./panel-instances";

const repo = path.resolve(import.meta.dirname, "../..");

let f: RealtimeFixture;
let dir = "";
const panels: PanelInstance[] = [];
let nginx: ChildProcess | undefined;
let tlsPort = 0;
let cert = "";

/** An HTTPS GET through nginx that trusts only the test's certificate. */
function getJson(pathName: string, token: string): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = https.request({ hostname: "localhost", port: tlsPort, path: pathName, ca: cert, headers: { authorization: `Bearer ${token}` } }, (res) => {
      let text = "";
      res.on("data", (c: Buffer) => (text += c.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : null }));
    });
    req.on("error", reject);
    req.end();
  });
}

before(async () => {
  assert.equal(process.env.E2E_DATABASE_KIND, "postgresql", "several panel instances share PostgreSQL");
  f = await makeRealtimeFixture();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "vst-two-"));
  tlsPort = await freePort();
  for (let i = 0; i < 2; i++) panels.push(await startPanelInstance({ publicUrl: () => `https://localhost:${tlsPort}`, env: { TRUST_PROXY: "1" } }));

  // A self-signed certificate for "localhost", and the shipped site with its addresses.
  execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost", "-keyout", path.join(dir, "key.pem"), "-out", path.join(dir, "cert.pem")], { stdio: "ignore" });
  cert = fs.readFileSync(path.join(dir, "cert.pem"), "utf8");
  const httpPort = await freePort();
  const shipped = fs.readFileSync(path.join(repo, "deploy/nginx/vserver-panel.conf"), "utf8");
  const site = shipped
    .replace("server 127.0.0.1:3000;", `server 127.0.0.1:${panels[0]!.port};`)
    .replace("# server 127.0.0.1:3001;", `server 127.0.0.1:${panels[1]!.port};`)
    .replace("listen 443 ssl http2;", `listen 127.0.0.1:${tlsPort} ssl http2;`)
    .replace("listen 80;", `listen 127.0.0.1:${httpPort};`)
    .replaceAll("server_name panel.example.com;", "server_name localhost;")
    .replace("/etc/letsencrypt/live/panel.example.com/fullchain.pem", path.join(dir, "cert.pem"))
    .replace("/etc/letsencrypt/live/panel.example.com/privkey.pem", path.join(dir, "key.pem"));
  assert.notEqual(site, shipped);
  fs.writeFileSync(path.join(dir, "site.conf"), site);
  for (const t of ["body", "proxy", "fastcgi", "uwsgi", "scgi"]) fs.mkdirSync(path.join(dir, t));
  fs.writeFileSync(
    path.join(dir, "nginx.conf"),
    `worker_processes 1;\nerror_log ${dir}/error.log;\npid ${dir}/nginx.pid;\ndaemon off;\nevents {}\nhttp {\n  access_log ${dir}/access.log;\n` +
      ["body", "proxy", "fastcgi", "uwsgi", "scgi"].map((t) => `  ${t === "body" ? "client_body" : t}_temp_path ${dir}/${t};\n`).join("") +
      `  include ${dir}/site.conf;\n}\n`,
  );
  nginx = spawn("nginx", ["-c", path.join(dir, "nginx.conf"), "-p", dir], { stdio: ["ignore", "inherit", "inherit"] });
  await waitUp(`https://localhost:${tlsPort}/login`, nginx, cert);
});

after(async () => {
  for (const child of [nginx, ...panels.map((p) => p.child)]) await stopProcess(child);
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  await f?.db.$disconnect();
});

test("two instances behind nginx with TLS: sign-in, pages, the API, live progress, the console; the session valid on each", async () => {
  const base = `https://localhost:${tlsPort}`;
  // The browser accepts the test's self-signed certificate for this session only.
  const s: BrowserSession = await openBrowser({ baseURL: base, acceptSelfSigned: true });
  const shot = (step: string) => s.shot(`two-instances-${step}`);
  try {
    const page = s.page;
    await login(page, f.customer.email, f.password);
    await page.waitForURL(/\/servers$/);
    assert.equal(new URL(page.url()).origin, base, "signed in through nginx, and stayed there");
    await shot("01-servers");

    // The session is the database's: each instance accepts the cookie directly (as nginx
    // forwards it: the public host, https).
    const cookie = (await page.context().cookies(base)).map((c) => `${c.name}=${c.value}`).join("; ");
    for (const { port } of panels) {
      const status = await new Promise<number>((resolve, reject) => {
        const req = http.request({ hostname: "127.0.0.1", port, path: "/servers", headers: { cookie, host: `localhost:${tlsPort}`, "x-forwarded-proto": "https" } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on("error", reject);
        req.end();
      });
      assert.equal(status, 200, `the instance on ${port} knows the session`);
    }

    // The API through nginx, with the customer's provider's token (an admin's here).
    const { token } = await createApiToken(f.db, f.admin, { name: `two-${crypto.randomBytes(2).toString("hex")}` });
    const list = await getJson("/api/v1/servers", token);
    assert.equal(list.status, 200);

    // A build watched live through nginx, whichever instance runs it.
    const hostname = `two-${crypto.randomBytes(2).toString("hex")}.example.test`;
    const build = await startBuild(f, hostname);
    await gotoAgain(page, `/servers/${build.serverId}?job=${build.jobId}`);
    await page.getByTestId("job-progress").waitFor();
    await page.locator('[data-testid="job-progress"][data-state="SUCCEEDED"]').waitFor({ timeout: 180_000 });
    await page.waitForFunction(() => !document.querySelector('[data-testid="job-log"]')?.textContent?.includes("waiting for the first log line"), null, { timeout: 30_000 });
    assert.equal(await page.getByTestId("realtime-error").count(), 0, "no live-connection error");
    await shot("02-progress");
    await waitForJob(f.db, build.jobId);

    // The console through nginx's WebSocket upgrade.
    await gotoAgain(page, `/servers/${build.serverId}/console`);
    const term = page.getByTestId("console").first();
    await page.locator('[data-testid="console"][data-state="open"]').first().waitFor({ timeout: 30_000 });
    await typeLine(page, term, "hostname");
    await waitForLine(term, (l) => l.trim() === hostname);
    await shot("03-console");
  } finally {
    await s.close();
  }
});
