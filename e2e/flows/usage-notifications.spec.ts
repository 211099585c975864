/**
 * Issue 15 in the browser, on the real panel, agent and kernel: a customer's usage graphs
 * show its own server (another customer gets 404 for the page and the data), the ranges
 * switch, and the live tail adds points; a download past 80 % and 100 % of the plan's
 * monthly transfer shows on the traffic bar and becomes events; a crash of the server
 * (its init killed behind the panel's back) reaches the test's SMTP server as an e-mail
 * and the reseller's webhook endpoint (made on the notifications page) as a signed call,
 * and a failing endpoint is tried again; a password-reset link from the test's mailbox
 * works once.
 */
import assert from "node:assert/strict";
import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { spawn } from "node:child_process";
import { after, before, test } from "node:test";
import { SMTPServer } from "smtp-server";
import { createPlan } from "@/lib/server/plans/create-plan";
import { createPool } from "@/lib/server/ip-pools/create-pool";
import { writeMailSettings } from "@/lib/server/events/mail-settings";
import { createServer } from "@/lib/server/vservers/provision/create-server";
import { binPath } from "@/agent/src/ops/testing/temp-host";
import { baseUrl, login, openBrowser, type BrowserSession } from "../testing/browser";
import { flowFixture, makeUser, waitForJob, type FlowFixture } from "./fixture";

let f: FlowFixture;
let smtp: SMTPServer;
let receiver: http.Server;
let hookBase = "";
let server = { id: "", name: "", address: "" };
let customer: { email: string; id: string };
let reseller: { email: string; id: string };
let other: { email: string; id: string };
let customerSession: BrowserSession;
let resellerSession: BrowserSession;
const mails: { to: string; text: string }[] = [];
const calls: { path: string; headers: http.IncomingHttpHeaders; body: string }[] = [];
let flakyFailures = 1;

async function until<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const v = await probe();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}

before(async () => {
  f = await flowFixture();
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    onData(stream, session, callback) {
      let text = "";
      stream.on("data", (c: Buffer) => (text += c.toString()));
      stream.on("end", () => {
        for (const to of session.envelope.rcptTo) mails.push({ to: to.address, text: text.replace(/=\r?\n/g, "") });
        callback();
      });
    },
  });
  await new Promise<void>((r) => smtp.listen(0, "127.0.0.1", r));
  receiver = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      calls.push({ path: req.url ?? "", headers: req.headers, body });
      if (req.url === "/flaky" && flakyFailures-- > 0) return void res.writeHead(503).end();
      res.writeHead(200).end("ok");
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  hookBase = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  await writeMailSettings(f.db, { host: "127.0.0.1", port: (smtp.server.address() as AddressInfo).port, secure: false, user: "", password: "", from: "panel@usage.test", publicUrl: baseUrl() });
  await f.db.setting.upsert({ where: { key: "webhooks.allowPrivate" }, create: { key: "webhooks.allowPrivate", value: "true" }, update: { value: "true" } });

  reseller = await makeUser(f, "RESELLER");
  await f.db.resellerQuota.create({ data: { resellerId: reseller.id, maxServers: 2, maxCpuMilli: 4000, maxMemoryMb: 4096, maxDiskMb: 4096, maxIpv4: 4, maxIpv6: 4 } });
  customer = await makeUser(f, "CUSTOMER", reseller.email);
  other = await makeUser(f, "CUSTOMER");
  await createPool(f.db, f.admin, { name: `un-v4-${Date.now()}`, cidr: "10.237.0.0/28", gateway: "10.237.0.1", hostIds: [f.hostId] });
  const plan = await createPlan(f.db, f.admin, {
    name: `Metered ${Date.now()}`, cpuMilli: 1000, cpuMilliMax: 1000, memoryMb: 128, memoryMbMax: 128, diskMb: 64, diskMbMax: 64, pids: 128, pidsMax: 128, ipv4Count: 1,
    trafficGb: 1, overQuotaPolicy: "THROTTLE", overQuotaMbit: 8,
  });
  const made = await createServer(f.db, f.admin, { customerId: customer.id, planId: plan.id, hostId: f.hostId, hostname: "usage.example.test", method: "busybox" });
  await waitForJob(f.db, made.jobId);
  const row = await f.db.vServer.findUniqueOrThrow({ where: { id: made.serverId }, include: { addresses: true } });
  server = { id: row.id, name: row.name, address: row.addresses[0]!.address };
  customerSession = await openBrowser();
  await login(customerSession.page, customer.email, f.password);
  await customerSession.page.waitForURL(/\/servers$/);
  resellerSession = await openBrowser();
  resellerSession.page.on("dialog", (d) => void d.accept());
  await login(resellerSession.page, reseller.email, f.password);
  await resellerSession.page.waitForURL(/\/reseller$/);
});

after(async () => {
  await customerSession?.close();
  await resellerSession?.close();
  if (server.id) {
    // Stopped for sure before the delete (its network, with the throttle's IFB device, goes with the stop).
    await f.db.vServer.updateMany({ where: { id: server.id }, data: { desiredState: "STOPPED" } });
    await f.agent().stopVserver({ name: server.name, timeoutSec: 0 }, { timeoutMs: 60_000 }).catch(() => undefined);
    await until("the server to stop", async () => (await f.agent().getVserver({ name: server.name }).catch(() => ({ state: "stopped" }))).state === "stopped", 60_000).catch(() => undefined);
    await f.agent().deleteVserver({ name: server.name }).catch(() => undefined);
    await f.db.ipAddress.deleteMany({ where: { vserverId: server.id } });
    await f.db.vServer.deleteMany({ where: { id: server.id } });
  }
  await new Promise<void>((r) => smtp?.close(() => r()));
  await new Promise<void>((r) => receiver?.close(() => r()));
  await f?.db.$disconnect();
});

test("the customer's graphs show its server: ranges switch, the live tail adds points; another customer gets 404", async () => {
  const page = customerSession.page;
  await page.goto(`/servers/${server.id}`);
  const graphs = page.getByTestId("usage-graphs");
  await graphs.waitFor();
  await until("the hour view", async () => /10 s each · live/.test(await page.getByTestId("usage-resolution").innerText()), 30_000).catch(async (e: Error) => {
    throw new Error(`${e.message}: "${await page.getByTestId("usage-resolution").innerText().catch(() => "(none)")}"`);
  });
  // The live tail: samples arrive over the socket, and the charts gain points.
  const tailAt = () => graphs.getAttribute("data-tail-at");
  const first = await until("a live sample", tailAt, 30_000).catch(async (e: Error) => {
    const latest = await page.request.get(`/servers/${server.id}/usage?latest=1`);
    throw new Error(`${e.message}; the server's latest sample: ${latest.status()} ${(await latest.text()).slice(0, 300)}`);
  });
  await until("the next live sample", async () => (await tailAt()) !== first, 30_000);
  const lastRow = () => page.getByTestId("chart-cpu-table").locator("tbody tr").last().locator("th").textContent({ timeout: 2000 }).catch(() => "");
  const before = await lastRow();
  await until("a live point in the chart", async () => (await lastRow()) !== before, 60_000);
  await graphs.getByRole("button", { name: "day" }).click();
  await until("the day view", async () => /1 min each/.test(await page.getByTestId("usage-resolution").innerText()));
  await customerSession.shot("usage-02-graphs-day");
  await graphs.getByRole("button", { name: "year" }).click();
  await until("the year view", async () => /6 h each/.test(await page.getByTestId("usage-resolution").innerText()));
  const stranger = await openBrowser();
  try {
    await login(stranger.page, other.email, f.password);
    await stranger.page.waitForURL(/\/servers$/);
    const answer = await stranger.page.goto(`/servers/${server.id}`);
    assert.equal(answer?.status(), 404);
    const data = await stranger.page.request.get(`/servers/${server.id}/usage?range=hour`);
    assert.equal(data.status(), 404);
  } finally {
    await stranger.close();
  }
});

test("the reseller's webhooks receive a crash, signed; a failing endpoint is retried; the e-mail arrives", async () => {
  const page = resellerSession.page;
  const secrets: Record<string, string> = {};
  for (const path of ["/ok", "/flaky"]) {
    await page.goto("/notifications");
    await page.getByTestId("webhook-form").getByLabel("URL").fill(`${hookBase}${path}`);
    await page.getByTestId("webhook-form").getByRole("button", { name: "Add endpoint" }).click();
    secrets[path] = await page.getByTestId("secret-value").innerText();
  }
  const { initPid } = await f.agent().getVserver({ name: server.name });
  process.kill(initPid!, "SIGKILL"); // a crash, behind the panel's back
  const crash = await until("the crash webhook", () => calls.find((c) => c.path === "/ok" && c.headers["x-vsp-event"] === "server.crashed"));
  const sig = String(crash.headers["x-vsp-signature"]);
  const t = /t=(\d+)/.exec(sig)![1]!;
  assert.equal(/v1=([0-9a-f]+)/.exec(sig)![1], crypto.createHmac("sha256", secrets["/ok"]!).update(`${t}.${crash.body}`).digest("hex"));
  assert.equal(JSON.parse(crash.body).serverId, server.id);
  await until("the retry", () => calls.filter((c) => c.path === "/flaky" && c.headers["x-vsp-event"] === "server.crashed").length >= 2, 120_000);
  const mail = await until("the crash e-mail", () => mails.find((m) => m.to === customer.email && /stopped unexpectedly/.test(m.text)));
  assert.match(mail.text, new RegExp(`/servers/${server.id}`));
  await until("the deliveries to settle", async () => (await f.db.eventDelivery.count({ where: { channel: "WEBHOOK", endpoint: { ownerId: reseller.id }, state: "PENDING" } })) === 0);
  await page.goto("/notifications");
  await page.getByTestId("delivery-log").last().getByText("delivered").first().waitFor();
  await resellerSession.shot("usage-01-webhook-delivery-log");
  // Built by the panel, the server has the restart policy on-failure: the host brings it back.
  await until("the server to come back by its restart policy", async () => (await f.agent().getVserver({ name: server.name })).state === "running");
  assert.equal((await f.agent().getVserver({ name: server.name })).lastExit?.cause, "signal");
});

/** `vserver NAME exec …` on the stack's host without blocking this process (its HTTP server must answer). */
function guestExec(script: string): Promise<number> {
  const env = { ...process.env, VSERVER_CONFDIR: process.env.E2E_VSERVER_CONFDIR, VSERVER_ROOTDIR: process.env.E2E_VSERVER_ROOTDIR, VSERVER_RUNDIR: process.env.E2E_VSERVER_RUNDIR, VSERVER_CGROUP_PARENT: process.env.E2E_VSERVER_CGROUP_PARENT };
  return new Promise((resolve) => {
    const child = spawn(binPath("vserver"), [server.name, "exec", "/bin/sh", "-c", script], { env, stdio: "ignore" });
    child.on("close", (code) => resolve(code ?? -1));
  });
}

test("traffic past 80 % and 100 % of the plan shows on the bar and becomes events; the plan's throttle applies", async () => {
  await until("the server to run", async () => (await f.agent().getVserver({ name: server.name })).state === "running");
  const chunk = Buffer.alloc(1024 * 1024, 1);
  const source = http.createServer((req, res) => {
    let left = Number(new URL(req.url ?? "/", "http://x").searchParams.get("mib"));
    const push = (): void => {
      while (left > 0) {
        left--;
        if (!res.write(chunk)) return void res.once("drain", push);
      }
      res.end();
    };
    push();
  });
  // The gateway address every routed server has on its host side: the download stays on this host.
  await new Promise<void>((r) => source.listen(8932, "169.254.0.1", r));
  const page = customerSession.page;
  try {
    assert.equal(await guestExec("wget -q -O /dev/null 'http://169.254.0.1:8932/?mib=820'"), 0);
    await until("the 80 % event", async () => (await f.db.event.count({ where: { vserverId: server.id, type: "traffic.warning" } })) === 1);
    await page.goto(`/servers/${server.id}`);
    assert.match(await page.getByTestId("traffic-numbers").innerText(), /of 1(\.0)? GB \((8\d|9\d) %\)/);
    assert.equal(await guestExec("wget -q -O /dev/null 'http://169.254.0.1:8932/?mib=200'"), 0);
    await until("the 100 % event", async () => (await f.db.event.count({ where: { vserverId: server.id, type: "traffic.exceeded" } })) === 1);
    await until("the throttle", async () => (await f.db.vServer.findUniqueOrThrow({ where: { id: server.id } })).netRateMbit === 8);
    await page.goto(`/servers/${server.id}`);
    assert.match(await page.getByTestId("traffic-numbers").innerText(), /\(100 %\)/);
    await until("the notifications", async () => (await f.db.notification.count({ where: { userId: customer.id, title: { startsWith: "Monthly traffic" } } })) >= 2);
    await page.goto("/notifications");
    await page.getByTestId("notification-list").getByText(/Monthly traffic used up/).first().waitFor();
    await page.getByTestId("notification-list").getByText(/Monthly traffic at 80 %/).first().waitFor();
    assert.equal((await f.agent().getVserver({ name: server.name })).limits.netRate, 8_000_000);
  } finally {
    source.close();
  }
});

test("a password-reset link from the mailbox works once", async () => {
  const visitor = await openBrowser();
  try {
    const page = visitor.page;
    await page.goto("/forgot-password");
    await page.getByTestId("forgot-form").getByLabel("Email").fill(customer.email);
    await page.getByTestId("forgot-form").getByRole("button", { name: "Send me a link" }).click();
    await page.getByText(/If an account has this address/).waitFor();
    const mail = await until("the reset e-mail", () => mails.find((m) => m.to === customer.email && /reset-password\//.test(m.text)));
    const link = /(https?:\/\/\S+\/reset-password\/[A-Za-z0-9_-]+)/.exec(mail.text)![1]!;
    await page.goto(link);
    await page.getByTestId("reset-form").getByLabel("New password").fill("a-brand-new-password-9");
    await page.getByTestId("reset-form").getByRole("button", { name: "Set password" }).click();
    await page.getByTestId("reset-done").waitFor();
    const again = await page.goto(link);
    assert.equal(again?.status(), 404, "the link works once");
    await login(page, customer.email, "a-brand-new-password-9");
    await page.waitForURL(/\/servers$/);
  } finally {
    await visitor.close();
  }
});
