/**
 * The panel's record holds on the host (real panel, agent, kernel; run on SQLite and on
 * PostgreSQL): a server the admin suspends, and one its customer stops, stay stopped
 * when the agent is killed and a new one starts — on the page and in `vserver NAME
 * status`; a server stopped behind the panel's back with the host's CLI shows stopped
 * on the open page within 10 seconds, and on the list too, without a reload.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Page } from "playwright-core";
import { createPlan } from "@/lib/server/plans/create-plan";
import { createPool } from "@/lib/server/ip-pools/create-pool";
import { createServer } from "@/lib/server/vservers/provision/create-server";
import { login, loginAsAdmin, openBrowser, type BrowserSession } from "../testing/browser";
import { flowFixture, killAgent, makeUser, vserverCli, waitForJob, type FlowFixture } from "./fixture";
import { confirmInDialog } from "../testing/confirm-dialog";

let f: FlowFixture;
let customer: { email: string; id: string };
const servers: Record<"held" | "own", { id: string; name: string }> = { held: { id: "", name: "" }, own: { id: "", name: "" } };
let admin: BrowserSession;
const tag = `${process.env.E2E_DATABASE_KIND ?? "db"}`;

async function state(page: Page, value: string, timeout = 30_000): Promise<void> {
  await page.locator(`[data-testid="server-state"][data-state="${value}"]`).first().waitFor({ timeout });
}

async function jobDone(page: Page): Promise<void> {
  await page.locator('[data-testid="job-progress"][data-state="SUCCEEDED"]').waitFor({ timeout: 120_000 });
}

before(async () => {
  f = await flowFixture();
  customer = await makeUser(f, "CUSTOMER");
  await createPool(f.db, f.admin, { name: `ds-v4-${tag}`, cidr: "10.236.0.0/28", gateway: "10.236.0.1", hostIds: [f.hostId] });
  const plan = await createPlan(f.db, f.admin, { name: `DS ${Date.now()}`, cpuMilli: 500, cpuMilliMax: 1000, memoryMb: 128, memoryMbMax: 256, diskMb: 64, diskMbMax: 128, pids: 128, pidsMax: 256, ipv4Count: 1 });
  for (const key of ["held", "own"] as const) {
    const made = await createServer(f.db, f.admin, { customerId: customer.id, planId: plan.id, hostId: f.hostId, hostname: `ds-${key}.example.test`, method: "busybox" });
    await waitForJob(f.db, made.jobId);
    servers[key] = { id: made.serverId, name: made.name };
  }
  admin = await openBrowser();
  admin.page.on("dialog", (d) => void d.accept());
  await loginAsAdmin(admin.page);
});

after(async () => {
  await admin?.close();
  for (const s of Object.values(servers)) {
    if (!s.id) continue;
    // The panel's row goes first: a host change it does not know of would be corrected back.
    await f.db.ipAddress.deleteMany({ where: { vserverId: s.id } });
    await f.db.vServer.deleteMany({ where: { id: s.id } });
    await f.agent().setDesiredState({ name: s.name, state: "stopped", timeoutSec: 0 }).catch(() => undefined);
    await f.agent().deleteVserver({ name: s.name }).catch(() => undefined);
  }
  await f?.db.$disconnect();
});

test(`suspended by the admin, the server stays stopped and suspended across an agent kill (${tag})`, async () => {
  const page = admin.page;
  await page.goto(`/servers/${servers.held.id}`);
  await state(page, "RUNNING");
  await page.getByTestId("power-buttons").getByRole("button", { name: "Suspend" }).click();
  await page.getByLabel("Reason for the suspension").fill("unpaid invoice 42");
  await page.getByTestId("suspend-form").getByRole("button", { name: `Suspend ${servers.held.name}` }).click();
  await page.waitForURL(/\?job=/);
  await jobDone(page);
  await state(page, "STOPPED");
  await page.getByText("This server is suspended: unpaid invoice 42").waitFor();

  await killAgent(f);
  // The new agent reconciled its host at start; the panel's next pass has seen it.
  const since = Date.now();
  await page.reload();
  await state(page, "STOPPED");
  assert.equal((await f.agent().getVserver({ name: servers.held.name })).state, "stopped");
  const status = vserverCli(servers.held.name, "status");
  assert.equal(status.code, 3, status.err);
  assert.match(status.out, /is stopped\nDesired: suspended \(by panel, [^)]+\): unpaid invoice 42/);
  // Still so after a reconciliation pass that ran after the restart.
  await page.locator('[data-testid="server-state-age"]').filter({ hasText: /checked \d+ s ago/ }).waitFor();
  assert.ok(Date.now() - since < 60_000);
  await admin.shot(`desired-01-suspended-after-agent-kill-${tag}`);
});

test(`stopped by its customer, the server stays stopped across an agent kill (${tag})`, async () => {
  const s = await openBrowser();
  s.page.on("dialog", (d) => void d.accept());
  try {
    const page = s.page;
    await login(page, customer.email, f.password);
    await page.waitForURL(/\/servers$/);
    await page.goto(`/servers/${servers.own.id}`);
    await state(page, "RUNNING");
    await page.getByTestId("power-buttons").getByRole("button", { name: "Stop" }).click();
    await confirmInDialog(page);
    await page.waitForURL(/\?job=/);
    await jobDone(page);
    await state(page, "STOPPED");
    await killAgent(f);
    await page.reload();
    await state(page, "STOPPED");
    assert.equal((await f.agent().getVserver({ name: servers.own.name })).state, "stopped");
    assert.match(vserverCli(servers.own.name, "status").out, /Desired: stopped \(by panel/);
    await s.shot(`desired-02-customer-stop-after-agent-kill-${tag}`);
  } finally {
    await s.close();
  }
});

test(`a server stopped behind the panel's back shows stopped within 10 s, on its page and the list (${tag})`, async () => {
  const s = await openBrowser();
  s.page.on("dialog", (d) => void d.accept());
  const list = await openBrowser();
  try {
    const page = s.page;
    await login(page, customer.email, f.password);
    await page.waitForURL(/\/servers$/);
    await login(list.page, customer.email, f.password);
    await list.page.waitForURL(/\/servers$/);
    await page.goto(`/servers/${servers.own.id}`);
    await page.getByTestId("power-buttons").getByRole("button", { name: "Start" }).click();
    await page.waitForURL(/\?job=/);
    await jobDone(page);
    await state(page, "RUNNING");
    await list.page.reload();
    const row = list.page.getByTestId("servers-table").getByRole("row", { name: new RegExp(servers.own.name) });
    await row.locator('[data-testid="server-state"][data-state="RUNNING"]').waitFor();

    const stop = vserverCli(servers.own.name, "stop", "--timeout", "0");
    assert.equal(stop.code, 0, stop.err);
    await state(page, "STOPPED", 10_000);
    await row.locator('[data-testid="server-state"][data-state="STOPPED"]').waitFor({ timeout: 10_000 });
    await s.shot(`desired-03-stopped-behind-the-panel-${tag}`);
    await list.shot(`desired-04-list-live-${tag}`);
    // The admin's decision on the host is adopted, and audited.
    const row2 = await f.db.vServer.findUniqueOrThrow({ where: { id: servers.own.id } });
    assert.equal(row2.desiredState, "STOPPED");
    assert.ok(await f.db.auditLog.findFirst({ where: { targetId: servers.own.id, action: "reconcile.adopt" } }));
  } finally {
    await s.close();
    await list.close();
  }
});
