/**
 * Shared by the every-page browser tests (split in two files to stay within a file's
 * time): a reseller with a customer that has one running server,
 * a support account and a plan; then each role's every page is checked at 390 px (with
 * the menu button) and in dark mode: no serious or critical axe violation, no sideways
 * scrolling. Screenshots of the server page at 390 px and in dark mode in e2e/output/.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createPlan } from "@/lib/server/plans/create-plan";
import { recordEvent } from "@/lib/server/events/record-event";
import { assertAccessible, assertNoSidewaysScroll } from "../testing/accessibility";
import { login, openBrowser, type BrowserSession } from "../testing/browser";
import { createUser } from "../testing/users";
import { flowFixture, makeUser, type FlowFixture } from "../flows/fixture";
import { ensureHostRoom } from "../testing/host-room";
import { buildServer, removeBuiltServer } from "./testing/build-server";

/** A role whose pages are checked. */
export type PageRole = "admin" | "reseller" | "customer" | "support";

let f: FlowFixture;
let reseller: { email: string; id: string };
let customer: { email: string; id: string };
let supportEmail = "";
let planId = "";
const own = { id: "", name: "" };
let giveBackRoom: (() => Promise<void>) | undefined;

/** Registers the fixture's before/after hooks. */
export function registerPagesFixture(): void {
  before(async () => {
    f = await flowFixture();
    reseller = await makeUser(f, "RESELLER");
    await f.db.resellerQuota.create({ data: { resellerId: reseller.id, maxServers: 4, maxCpuMilli: 4000, maxMemoryMb: 2048, maxDiskMb: 4096 } });
    customer = await makeUser(f, "CUSTOMER", reseller.email);
    supportEmail = await createUser("SUPPORT", f.password);
    planId = (await createPlan(f.db, f.admin, { name: `Pages ${Date.now()}`, cpuMilli: 500, cpuMilliMax: 1000, memoryMb: 128, memoryMbMax: 256, diskMb: 64, diskMbMax: 128, pids: 128, pidsMax: 256, ipv4Count: 0, ipv6Count: 0 })).id;
    giveBackRoom = await ensureHostRoom(f.db, f.hostId, { servers: 4, cpuMilli: 500 });
    const s = await buildServer(f, { customerId: customer.id, planId, hostId: f.hostId, hostname: "pages.example.test", method: "busybox" });
    Object.assign(own, { id: s.serverId, name: s.name });
    await longWordNotice(own);
  });
  after(async () => {
    if (own.id) await removeBuiltServer(f, own);
    await giveBackRoom?.();
    await f?.db.$disconnect();
  });
}

/**
 * A failure whose text holds a long unbroken word (a path, a snapshot id), as restic's and
 * the kernel's errors do: it reaches the server's owner, its reseller and the admins, so
 * their notifications and the server's history are checked with it (such a notice once
 * widened the phone layout to 728 px).
 */
async function longWordNotice(server: { id: string; name: string }): Promise<void> {
  const path = `/var/lib/vserver-panel/backups/local/locks/${"0123456789abcdef".repeat(4)}`;
  const eventId = await recordEvent(f.db, { type: "backup.failed", vserverId: server.id, userId: customer.id, data: { name: server.name, error: `restic backup failed: Fatal: unable to create lock ${path}` } });
  // The panel's event loop fans it out; the pages are checked once it has.
  for (let i = 0; i < 300 && (await f.db.notification.count({ where: { eventId } })) < 3; i++) await new Promise((r) => setTimeout(r, 100));
  assert.ok((await f.db.notification.count({ where: { eventId } })) >= 3, "the long-word notice reached the owner, the reseller and the admin");
}

async function signedIn(email: string, password: string, home: RegExp): Promise<BrowserSession> {
  const s = await openBrowser();
  await login(s.page, email, password);
  await s.page.waitForURL(home);
  return s;
}

/** Every page a role has, with the ids the fixture made. */
function pagesOf(role: PageRole): string[] {
  const server = [`/servers/${own.id}`, `/servers/${own.id}/console`];
  switch (role) {
    case "admin":
      return ["/admin", "/admin/hosts", "/servers", ...server, "/servers/new", "/admin/plans", `/admin/plans/${planId}`, "/requests", "/admin/ip-pools", "/admin/users", `/admin/users/${customer.id}`, "/admin/tokens", "/admin/audit", "/admin/security", "/account", "/notifications"];
    case "reseller":
      return ["/reseller", "/reseller/customers", `/reseller/customers/${customer.id}`, "/servers", ...server, "/servers/new", "/reseller/plans", "/requests", "/reseller/tokens", "/account", "/notifications"];
    case "customer":
      return ["/servers", ...server, "/account", "/account/tokens", "/notifications"];
    case "support":
      return ["/support", "/support/processes", "/support/jobs", "/servers", `/servers/${own.id}`, "/account"];
  }
}

/** Checks each page; returns every page's every problem. */
async function checkPages(s: BrowserSession, pages: string[], what: string): Promise<string[]> {
  const problems: string[] = [];
  for (const p of pages) {
    const res = await s.page.goto(p);
    assert.equal(res?.status(), 200, `${p} as ${what}`);
    await s.page.waitForLoadState("networkidle").catch(() => undefined);
    for (const check of [assertAccessible, assertNoSidewaysScroll]) {
      await check(s.page, `${p} (${what})`).catch((e: Error) => problems.push(e.message));
    }
  }
  return problems;
}

/** Registers the every-page test of each of `roles`. */
export function everyPageTests(roles: PageRole[]): void {
  for (const role of roles) {
  test(`${role}: every page at 390 px (menu button) and in dark mode has no serious or critical axe violation and does not scroll sideways`, async () => {
    const who = { customer: customer.email, reseller: reseller.email, admin: process.env.E2E_ADMIN_EMAIL!, support: supportEmail }[role];
    const password = role === "admin" ? process.env.E2E_ADMIN_PASSWORD! : f.password;
    const s = await signedIn(who, password, /\/(servers|reseller|admin|support)$/);
    try {
      const page = s.page;
      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto(pagesOf(role)[0]!);
      const menu = page.getByTestId("menu-button");
      assert.equal(await page.locator("#main-nav").isVisible(), false, "the navigation hides behind the menu on a phone");
      await menu.click();
      await page.locator("#main-nav").getByRole("link", { name: "Account", exact: true }).click();
      await page.waitForURL(/\/account$/);
      assert.equal(await page.locator("#main-nav").isVisible(), false, "following a link closes the menu");
      const problems = await checkPages(s, pagesOf(role), `${role}, 390 px, light`);
      if (role === "customer") {
        await page.goto(`/servers/${own.id}`);
        await s.shot("self-05-server-390px");
        await menu.click();
        await s.shot("self-06-menu-390px");
      }
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.goto("/account");
      await page.getByTestId("theme-toggle").getByText("Dark", { exact: true }).click();
      await page.waitForFunction(() => document.documentElement.dataset.theme === "dark");
      await page.reload();
      assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), "dark", "the choice is kept in the account and rendered by the server");
      problems.push(...(await checkPages(s, pagesOf(role), `${role}, dark`)));
      if (role === "customer") {
        await page.goto(`/servers/${own.id}`);
        await s.shot("self-07-server-dark");
        await page.setViewportSize({ width: 390, height: 844 });
        await page.goto(`/servers/${own.id}`);
        await s.shot("self-08-server-dark-390px");
      }
      assert.deepEqual(problems, [], `${role}: every page, light at 390 px and dark`);
    } finally {
      await s.close();
    }
  });
  }
}

/** The signed-out pages. */
export function signedOutPagesTest(): void {
test("signed out: the login and password-reset pages at 390 px have no serious or critical axe violation", async () => {
  const s = await openBrowser();
  try {
    await s.page.setViewportSize({ width: 390, height: 844 });
    for (const p of ["/login", "/forgot-password"]) {
      await s.page.goto(p);
      await assertAccessible(s.page, p);
      await assertNoSidewaysScroll(s.page, p);
    }
  } finally {
    await s.close();
  }
});
}
