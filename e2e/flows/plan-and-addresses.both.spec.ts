/**
 * Plans and addresses of a running server through the browser (real panel, agent,
 * kernel; SQLite and PostgreSQL): the reseller moves it up a plan and back down — the
 * page says first that this host must stop and start it for the disk, the limits are
 * checked on the host and inside the server afterwards; its customer grows the disk
 * with the sliders (the announced restart); adds an IPv4 and an IPv6 address, each
 * reached from the host at once, and removes them; asks for a plan its reseller
 * chooses, and the reseller approves it on the requests page.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Locator, Page } from "playwright-core";
import { createPlan } from "@/lib/server/plans/create-plan";
import { createPool } from "@/lib/server/ip-pools/create-pool";
import { createServer } from "@/lib/server/vservers/provision/create-server";
import { login, openBrowser, type BrowserSession } from "../testing/browser";
import { flowFixture, hostReaches, makeUser, waitForJob, type FlowFixture } from "./fixture";
import { confirmInDialog } from "../testing/confirm-dialog";
import { whenHydrated } from "../testing/hydration";

const MiB = 1024 * 1024;
const tag = `${process.env.E2E_DATABASE_KIND ?? "db"}`;
let f: FlowFixture;
let reseller: { email: string; id: string };
let customer: { email: string; id: string };
const plans: Record<string, string> = {};
let server = { id: "", name: "" };
let resellerSession: BrowserSession;
let customerSession: BrowserSession;

async function jobDone(page: Page): Promise<void> {
  await page.locator('[data-testid="job-progress"][data-state="SUCCEEDED"]').waitFor({ timeout: 180_000 });
}

async function inside(cmd: string): Promise<string> {
  const r = await f.agent().execInVserver({ name: server.name, argv: ["/bin/sh", "-c", cmd] });
  assert.equal(r.exitCode, 0, r.stderr);
  return r.stdout;
}

/**
 * Memory, CPUs and disk as the guest sees them (/proc/meminfo, nproc, df). Memory is read
 * from /proc/meminfo, which the server's own view (LXCFS) answers; busybox's `free` asks
 * sysinfo(2) instead, which the server's monitor answers (docs/own-view.md), so either
 * would do: the file is read as procps and htop read it.
 */
async function seenInside(): Promise<{ memoryMb: number; cpus: number; diskMb: number }> {
  const memoryMb = Number((await inside("awk '/^MemTotal:/ {print int($2 / 1024)}' /proc/meminfo")).trim());
  const cpus = Number((await inside("nproc")).trim());
  const diskMb = Number((await inside("df -m / | tail -1")).trim().split(/\s+/)[1]);
  return { memoryMb, cpus, diskMb };
}

/**
 * Waits for `target`; when it does not come, fails with what the page says instead (an
 * error line, another card), so a CI log tells why.
 */
async function waitOrSay(page: Page, target: Locator, what: string, state: "visible" | "attached" = "visible"): Promise<void> {
  try {
    await target.waitFor({ state });
  } catch (error) {
    const said = await page.locator("body").innerText().catch(() => "(the page is gone)");
    assert.fail(`${what} did not show on ${page.url()}: ${(error as Error).message.split("\n")[0]}\nthe page says:\n${said.slice(0, 3000)}`);
  }
}

/** Chooses the plan whose name starts with `prefix` in the plan card's list, once React owns it. */
async function choosePlan(page: Page, prefix: string): Promise<void> {
  const select = page.getByTestId("plan-change").getByLabel("Plan");
  const option = select.locator("option", { hasText: prefix }).first();
  // An <option> of a closed list is never "visible" to Playwright: it is there or not.
  await waitOrSay(page, option, `the plan ${prefix}… in the plan card's list`, "attached");
  await whenHydrated(select);
  await select.selectOption((await option.getAttribute("value"))!);
}

/** Sets a range slider as a person dragging it would (React hears the input event). */
async function slide(page: Page, name: string, value: number): Promise<void> {
  const sliders = page.getByTestId("resource-sliders");
  const shown = sliders.locator(`[data-testid="limit-${name}"]`);
  const before = await shown.innerText();
  const input = sliders.locator(`input[name="${name}"]`);
  await whenHydrated(input);
  await input.evaluate((el, v) => {
    const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value")!.set!;
    setter.call(el, String(v));
    el.dispatchEvent(new Event("input", { bubbles: true }));
  }, value);
  await waitOrSay(page, shown.filter({ hasNotText: new RegExp(`^${before.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`) }), `the ${name} slider's label after ${value}`);
}

async function movePlan(page: Page, planName: string): Promise<void> {
  await page.goto(`/servers/${server.id}`);
  const card = page.getByTestId("plan-change");
  await choosePlan(page, planName);
  await waitOrSay(page, card.getByTestId("plan-preview"), `the preview of ${planName}…`);
  // Said before: this host cannot change a running server's disk without a stop.
  await card.getByTestId("plan-restart-notice").waitFor();
  await card.getByTestId("plan-change-apply").click();
  await card.getByTestId("plan-confirm-restart").click();
  await page.waitForURL(/\?job=/);
  await jobDone(page);
}

before(async () => {
  f = await flowFixture();
  reseller = await makeUser(f, "RESELLER");
  customer = await makeUser(f, "CUSTOMER", reseller.email);
  await f.db.resellerQuota.create({ data: { resellerId: reseller.id, maxServers: 2, maxCpuMilli: 4000, maxMemoryMb: 4096, maxDiskMb: 4096, maxIpv4: 6, maxIpv6: 4 } });
  await createPool(f.db, f.admin, { name: `pa-v4-${tag}`, cidr: "10.237.0.0/28", gateway: "10.237.0.1", hostIds: [f.hostId] });
  await createPool(f.db, f.admin, { name: `pa-v6-${tag}`, cidr: "fd37::/64", assignPrefix: 128, hostIds: [f.hostId] });
  const base = { cpuMilliMax: 2000, memoryMbMax: 512, swapMbMax: 0, diskMbMax: 256, pidsMax: 512, ipv4Max: 2, ipv6Max: 1 };
  const stamp = Date.now();
  plans.small = (await createPlan(f.db, f.admin, { ...base, name: `PA-Small-${stamp}`, cpuMilli: 1000, memoryMb: 192, diskMb: 64, pids: 128, ipv4Count: 1, customerSelectable: true })).id;
  plans.big = (await createPlan(f.db, f.admin, { ...base, name: `PA-Big-${stamp}`, cpuMilli: 2000, memoryMb: 384, diskMb: 128, pids: 256, ipv4Count: 1 })).id;
  const made = await createServer(f.db, f.admin, { customerId: customer.id, planId: plans.small, hostId: f.hostId, hostname: "pa.example.test", method: "busybox" });
  await waitForJob(f.db, made.jobId);
  server = { id: made.serverId, name: made.name };
  resellerSession = await openBrowser();
  await login(resellerSession.page, reseller.email, f.password);
  await resellerSession.page.waitForURL(/\/reseller$/);
  customerSession = await openBrowser();
  customerSession.page.on("dialog", (d) => void d.accept());
  await login(customerSession.page, customer.email, f.password);
  await customerSession.page.waitForURL(/\/servers$/);
});

after(async () => {
  await resellerSession?.close();
  await customerSession?.close();
  if (server.id) {
    // The panel's row goes first: a host change it does not know of would be corrected back.
    await f.db.ipAddress.deleteMany({ where: { vserverId: server.id } });
    await f.db.vServer.deleteMany({ where: { id: server.id } });
    await f.agent().stopVserver({ name: server.name, timeoutSec: 0 }).catch(() => undefined);
    await f.agent().deleteVserver({ name: server.name }).catch(() => undefined);
  }
  await f?.db.$disconnect();
});

test(`the reseller moves the server up a plan and back down; each limit holds on the host and inside (${tag})`, async () => {
  const page = resellerSession.page;
  await movePlan(page, `PA-Big-`);
  await resellerSession.shot(`plan-01-upgraded-${tag}`);
  let info = await f.agent().getVserver({ name: server.name });
  assert.deepEqual([info.state, info.limits.cpu, info.limits.memory, info.limits.pids, info.limits.diskBytes], ["running", 2, 384 * MiB, 256, 128 * MiB]);
  let seen = await seenInside();
  assert.deepEqual([seen.memoryMb, seen.cpus], [384, 2]);
  assert.ok(seen.diskMb > 100, `disk inside: ${seen.diskMb} MB`);

  await movePlan(page, `PA-Small-`);
  info = await f.agent().getVserver({ name: server.name });
  assert.deepEqual([info.state, info.limits.cpu, info.limits.memory, info.limits.pids, info.limits.diskBytes], ["running", 1, 192 * MiB, 128, 64 * MiB]);
  seen = await seenInside();
  assert.deepEqual([seen.memoryMb, seen.cpus], [192, 1]);
  assert.ok(seen.diskMb < 64, `disk inside: ${seen.diskMb} MB`);
  await resellerSession.shot(`plan-02-downgraded-${tag}`);
});

test(`the customer grows the disk with the sliders: the restart is said before, and done when confirmed (${tag})`, async () => {
  const page = customerSession.page;
  await page.goto(`/servers/${server.id}`);
  const sliders = page.getByTestId("resource-sliders");
  await slide(page, "diskMb", 192);
  await sliders.getByTestId("disk-restart-note").waitFor();
  await sliders.getByRole("button", { name: "Apply (restarts the server)" }).click();
  await sliders.getByTestId("restart-confirm").getByRole("button", { name: "Stop, change and start" }).click();
  await page.waitForURL(/\?job=/);
  await jobDone(page);
  assert.equal((await f.agent().getVserver({ name: server.name })).limits.diskBytes, 192 * MiB);
  assert.ok((await seenInside()).diskMb > 150);
  await page.locator('[data-testid="server-state"][data-state="RUNNING"]').first().waitFor({ timeout: 30_000 });
});

test(`the customer adds an IPv4 and an IPv6 address, reached from the host at once, and removes them (${tag})`, async () => {
  const page = customerSession.page;
  await page.goto(`/servers/${server.id}`);
  const before = await f.db.ipAddress.findMany({ where: { vserverId: server.id }, select: { address: true } });
  await page.getByTestId("add-ipv4").click();
  await page.getByText("Added an IPv4 address").waitFor();
  await page.getByTestId("add-ipv6").click();
  await page.getByText("Added an IPv6 address").waitFor();
  const added = (await f.db.ipAddress.findMany({ where: { vserverId: server.id } })).filter((a) => !before.some((b) => b.address === a.address));
  assert.equal(added.length, 2);
  for (const a of added) {
    assert.ok(hostReaches(a.address), `the host reaches ${a.address}`);
    await page.getByTestId("server-addresses").getByText(`${a.address}/${a.prefix}`).waitFor();
  }
  assert.equal(await page.getByTestId("add-ipv4").count(), 0, "the plan allows two IPv4 addresses");
  await page.getByTestId("no-ipv4").waitFor();
  await customerSession.shot(`addresses-01-added-${tag}`);
  for (const a of added) {
    await page.getByRole("button", { name: `Remove ${a.address}` }).click();
    await confirmInDialog(page);
    await page.getByText(`Removed ${a.address}.`).waitFor();
    assert.ok(!hostReaches(a.address), `${a.address} answers no more`);
  }
});

test(`the customer asks for a plan its reseller chooses; the reseller approves it on the requests page (${tag})`, async () => {
  const page = customerSession.page;
  await page.goto(`/servers/${server.id}`);
  const card = page.getByTestId("plan-change");
  await choosePlan(page, "PA-Big-");
  await waitOrSay(page, card.getByTestId("plan-preview"), "the preview of PA-Big-…");
  await card.getByLabel("Note").fill("more room, please");
  await card.getByTestId("plan-request").click();
  await page.getByTestId("plan-request-pending").waitFor();
  await customerSession.shot(`plan-03-request-pending-${tag}`);

  const rpage = resellerSession.page;
  await rpage.goto("/requests");
  const item = rpage.getByTestId("plan-requests").getByRole("listitem").filter({ hasText: server.name });
  await item.getByText("more room, please").waitFor();
  await resellerSession.shot(`plan-04-requests-page-${tag}`);
  await item.getByTestId("approve-request").click();
  // This host needs a stop and start for the disk: said, then confirmed.
  await item.getByRole("button", { name: "Approve: stop, change and start" }).click();
  await rpage.waitForURL(/\/servers\/[^/]+\?job=/);
  await jobDone(rpage);
  assert.equal((await f.agent().getVserver({ name: server.name })).limits.memory, 384 * MiB);
  assert.equal((await f.db.vServer.findUniqueOrThrow({ where: { id: server.id } })).planId, plans.big);
});
