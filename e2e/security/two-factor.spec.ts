/**
 * Two-factor login in a real browser against the real server: a customer turns it on
 * from the account page (QR code and key shown, a code from the key confirms it,
 * recovery codes shown once), then logs in with password and code; a wrong code fails
 * and leaves no session; a code that was used is refused when replayed; a recovery
 * code works once. An admin requires two-factor login for customers on the security
 * page: a customer without it is held at the set-up page after the password (pages
 * lead back there, server actions and sockets are refused), sets it up there, and goes
 * on to its servers. The requirement is lifted again at the end.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { io } from "socket.io-client";
import type { Page } from "playwright-core";
import type { Db } from "@/lib/db/client";
import { totpCode } from "@/lib/security/totp";
import { tenantPassword, type Tenants } from "@/lib/auth/testing/tenants";
import { baseUrl, login, openBrowser } from "../testing/browser";
import { actionResult, getPage, httpLogin, mustLogin, postAction, serverActionId, type Cookie } from "./testing/http-session";
import { stackDb, stackTenants } from "./testing/stack-tenants";

let db: Db;
let fx: Tenants;
let secret = "";
let recovery: string[] = [];
const now = () => Date.now() / 1000;

before(async () => {
  db = stackDb();
  fx = (await stackTenants(db)).fx;
});
after(async () => {
  // Never leave the requirement on for the other browser tests.
  await db?.setting.deleteMany({ where: { key: "security.twoFactorRoles" } });
  await db?.$disconnect();
});

/** Sets up two-factor login on the page (account or set-up page); returns secret and recovery codes. */
async function enrollOnPage(page: Page, shot?: (name: string) => Promise<void>): Promise<{ secret: string; codes: string[] }> {
  await page.getByRole("button", { name: "Set up two-factor login" }).click();
  await page.getByTestId("totp-qr").waitFor();
  const key = (await page.getByTestId("totp-secret").innerText()).replace(/\s/g, "");
  assert.match(key, /^[A-Z2-7]{32}$/);
  assert.match((await page.getByTestId("totp-uri").getAttribute("href")) ?? "", /^otpauth:\/\/totp\/VServer%20Panel:/);
  await shot?.("qr");
  const form = page.getByTestId("two-factor-confirm-form");
  await form.getByLabel("Code from the app").fill(totpCode(key, now() + 300));
  await form.getByRole("button", { name: "Turn on two-factor login" }).click();
  await form.getByText("this code is not right").waitFor();
  await form.getByLabel("Code from the app").fill(totpCode(key));
  await form.getByRole("button", { name: "Turn on two-factor login" }).click();
  const list = page.getByTestId("recovery-codes");
  await list.waitFor();
  const codes = (await list.locator("li").allInnerTexts()).map((c) => c.trim());
  assert.equal(codes.length, 10);
  await shot?.("recovery-codes");
  return { secret: key, codes };
}

test("a customer turns on two-factor login from the account page", async () => {
  const s = await openBrowser();
  try {
    await login(s.page, fx.a.customerEmail, tenantPassword);
    await s.page.waitForURL(/\/servers$/);
    await s.page.goto("/account");
    ({ secret, codes: recovery } = await enrollOnPage(s.page, (n) => s.shot(`security-2fa-01-${n}`)));
    await s.page.getByRole("link", { name: /continue/ }).click();
    await s.page.getByTestId("two-factor-on").waitFor();
    assert.match(await s.page.getByTestId("two-factor-on").innerText(), /10 recovery codes left/);
  } finally {
    await s.close();
  }
  const row = await db.user.findUniqueOrThrow({ where: { id: fx.a.customerId } });
  assert.equal(row.totpEnabled, true);
  assert.ok(row.totpSecret && !row.totpSecret.includes(secret), "sealed at rest");
});

test("login asks for the code: a wrong code fails without a session, the right one signs in", async () => {
  const s = await openBrowser();
  try {
    await login(s.page, fx.a.customerEmail, tenantPassword);
    await s.page.getByTestId("login-code-step").waitFor();
    await s.shot("security-2fa-02-code-step");
    await s.page.getByLabel("Authentication code").fill(totpCode(secret, now() + 600));
    await s.page.getByRole("button", { name: "Verify" }).click();
    await s.page.getByTestId("login-error").waitFor();
    assert.match(await s.page.getByTestId("login-error").innerText(), /not right/);
    assert.deepEqual(await (await s.page.request.get("/api/auth/session")).json(), {});
    await s.shot("security-2fa-03-wrong-code");
    await s.page.getByLabel("Authentication code").fill(totpCode(secret, now() + 30));
    await s.page.getByRole("button", { name: "Verify" }).click();
    await s.page.waitForURL(/\/servers$/);
    const session = (await (await s.page.request.get("/api/auth/session")).json()) as { user?: { email: string } };
    assert.equal(session.user?.email, fx.a.customerEmail);
  } finally {
    await s.close();
  }
});

test("a used code is refused when replayed; a recovery code works once; the password alone is not enough", async () => {
  assert.deepEqual(await httpLogin(fx.a.customerEmail, tenantPassword), { error: "TwoFactorRequired" });
  assert.deepEqual(await httpLogin(fx.a.customerEmail, tenantPassword, totpCode(secret, now() + 30)), { error: "TwoFactorInvalid" }, "replay of the code used above");
  const viaRecovery = await httpLogin(fx.a.customerEmail, tenantPassword, recovery[0]);
  assert.ok("cookie" in viaRecovery, JSON.stringify(viaRecovery));
  assert.equal((await getPage("/servers", viaRecovery.cookie)).status, 200);
  assert.deepEqual(await httpLogin(fx.a.customerEmail, tenantPassword, recovery[0]), { error: "TwoFactorInvalid" });
});

test("an admin requires two-factor login for customers; one without it is held at set-up until it has it", async () => {
  const admin = await openBrowser();
  try {
    await login(admin.page, fx.adminEmail, tenantPassword);
    await admin.page.waitForURL(/\/admin$/);
    await admin.page.goto("/admin/security");
    const form = admin.page.getByTestId("two-factor-roles-form");
    await form.getByLabel("Customers").check();
    await form.getByRole("button", { name: "Save" }).click();
    await admin.page.getByTestId("form-success").waitFor();
    await admin.shot("security-2fa-04-admin-requires");
  } finally {
    await admin.close();
  }

  // Customer B has no second factor: its password leads to the set-up page and nowhere else.
  const held: Cookie = await mustLogin(fx.b.customerEmail, tenantPassword);
  assert.equal((await getPage("/servers", held)).location, "/two-factor/setup");
  assert.equal((await getPage(`/servers/${fx.b.serverId}`, held)).location, "/two-factor/setup");
  assert.equal((await getPage("/", held)).location, "/login");
  assert.equal((await getPage("/login", held)).location, "/two-factor/setup");
  const power = serverActionId("lib/actions/servers/power-action.ts", "powerAction");
  const refused = actionResult((await postAction(`/servers/${fx.b.serverId}`, power.id, [fx.b.serverId, "restart"], { cookie: held, origin: new URL(baseUrl()).origin })).text);
  assert.equal(refused?.ok, false);
  const socketAnswer = await new Promise<string>((resolve) => {
    const socket = io(baseUrl(), { transports: ["websocket"], extraHeaders: { cookie: held }, reconnection: false });
    socket.once("connect", () => (socket.close(), resolve("connected")));
    socket.once("connect_error", (e) => (socket.close(), resolve(e.message)));
  });
  assert.equal(socketAnswer, "unauthorized");

  const s = await openBrowser();
  try {
    await login(s.page, fx.b.customerEmail, tenantPassword);
    await s.page.waitForURL(/\/two-factor\/setup$/);
    await s.page.goto("/servers");
    await s.page.waitForURL(/\/two-factor\/setup$/);
    await s.shot("security-2fa-05-held-at-setup");
    await enrollOnPage(s.page);
    await s.page.getByRole("link", { name: /continue/ }).click();
    await s.page.waitForURL(/\/servers$/);
    await s.page.getByTestId("servers-table").getByText(`authz-b-${fx.tag}`).waitFor();
    await s.shot("security-2fa-06-enrolled");
  } finally {
    await s.close();
  }
  // Customer A, enrolled earlier, is not held; a reseller is not affected by a customer rule.
  assert.equal((await getPage("/servers", await mustLogin(fx.a.resellerEmail, tenantPassword))).status, 200);
});
