/**
 * Sessions on the real server. An old session cookie stops working at its very next
 * request after a password change made in the browser — for pages, server actions and
 * socket.io (a new handshake is refused and an open socket is disconnected) — and the
 * same after "sign out everywhere" (clicked in the browser) and after a suspension by
 * the customer's reseller over the REST API. A cookie older than the session lifetime,
 * or past its expiry, is no session; a freshly signed one is (so forging works and the
 * refusals are about age).
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { encode } from "next-auth/jwt";
import { io, type Socket } from "socket.io-client";
import type { Db } from "@/lib/db/client";
import { sessionLifetimeSeconds } from "@/lib/auth/session-state";
import { tenantPassword, type Tenants } from "@/lib/auth/testing/tenants";
import { baseUrl, login, openBrowser } from "../testing/browser";
import { actionResult, getPage, mustLogin, postAction, serverActionId, sessionCookieName, type Cookie } from "./testing/http-session";
import { stackDb, stackTenants } from "./testing/stack-tenants";
import { confirmInDialog } from "../testing/confirm-dialog";

let db: Db;
let fx: Tenants;
const origin = () => ({ origin: new URL(baseUrl()).origin });

before(async () => {
  db = stackDb();
  fx = (await stackTenants(db)).fx;
});
after(async () => {
  await db?.$disconnect();
});

function connect(cookie: Cookie): Promise<Socket | string> {
  return new Promise((resolve) => {
    const socket = io(baseUrl(), { transports: ["websocket"], extraHeaders: { cookie, ...origin() }, reconnection: false, timeout: 10_000 });
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", (e) => {
      socket.close();
      resolve(e.message);
    });
  });
}

/** Checks that `cookie` is dead everywhere: pages, server actions, new sockets. */
async function assertDead(cookie: Cookie, serverId: string): Promise<void> {
  assert.equal((await getPage("/servers", cookie)).location, "/login", "a page sends it to the login page");
  const power = serverActionId("lib/actions/servers/power-action.ts", "powerAction");
  const result = actionResult((await postAction(`/servers/${serverId}`, power.id, [serverId, "restart"], { cookie, ...origin() })).text);
  assert.equal(result?.ok, false);
  assert.match(result?.message ?? "", /session has ended/);
  assert.equal(await connect(cookie), "unauthorized", "a new socket is refused");
}

async function until(what: string, probe: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test("a password change in the browser ends an old session at once: pages, actions, sockets", async () => {
  const old = await mustLogin(fx.a.customerEmail, tenantPassword);
  assert.equal((await getPage("/servers", old)).status, 200);
  const socket = await connect(old);
  assert.ok(typeof socket !== "string", `the old session has a socket before: ${String(socket)}`);
  let disconnected = false;
  socket.on("disconnect", () => (disconnected = true));

  const s = await openBrowser();
  try {
    await login(s.page, fx.a.customerEmail, tenantPassword);
    await s.page.waitForURL(/\/servers$/);
    await s.page.goto("/account");
    const form = s.page.getByTestId("password-form");
    await form.getByLabel("Current password").fill(tenantPassword);
    await form.getByLabel("New password").fill("a-new-password-2");
    await form.getByRole("button", { name: "Change password" }).click();
    await s.page.waitForURL(/\/login\?reason=password-changed/);
    await s.page.getByTestId("login-notice").waitFor();
    await s.shot("security-sessions-01-password-changed");
  } finally {
    await s.close();
  }
  await assertDead(old, fx.a.serverId);
  await until("the open socket to be disconnected", () => disconnected);
  socket.close();
  // The new password works. Then the fixture's password goes back (every fixture user has the same hash).
  assert.equal((await getPage("/servers", await mustLogin(fx.a.customerEmail, "a-new-password-2"))).status, 200);
  await db.user.update({ where: { id: fx.a.customerId }, data: { passwordHash: (await db.user.findUniqueOrThrow({ where: { id: fx.b.customerId } })).passwordHash } });
});

test("sign out everywhere, clicked in one browser, ends the sessions of the others", async () => {
  const other = await mustLogin(fx.b.customerEmail, tenantPassword);
  const s = await openBrowser();
  try {
    s.page.on("dialog", (d) => void d.accept());
    await login(s.page, fx.b.customerEmail, tenantPassword);
    await s.page.waitForURL(/\/servers$/);
    await s.page.goto("/account");
    await s.page.getByRole("button", { name: "Sign out everywhere" }).click();
    await confirmInDialog(s.page);
    await s.page.waitForURL(/\/login\?reason=signed-out-everywhere/);
    await s.shot("security-sessions-02-signed-out-everywhere");
  } finally {
    await s.close();
  }
  await assertDead(other, fx.b.serverId);
});

test("a suspension by the reseller (REST API) ends the customer's session at once", async () => {
  const session = await mustLogin(fx.a.customerEmail, tenantPassword);
  assert.equal((await getPage("/servers", session)).status, 200);
  const res = await fetch(`${baseUrl()}/api/v1/customers/${fx.a.customerId}/suspend`, { method: "POST", headers: { authorization: `Bearer ${fx.a.token}` } });
  assert.equal(res.status, 200);
  try {
    await assertDead(session, fx.a.serverId);
  } finally {
    await fetch(`${baseUrl()}/api/v1/customers/${fx.a.customerId}/unsuspend`, { method: "POST", headers: { authorization: `Bearer ${fx.a.token}` } });
  }
  assert.equal((await getPage("/servers", session)).location, "/login", "reactivation does not revive the old session");
});

test("sessions expire: past the absolute lifetime or the cookie's expiry there is no session", async () => {
  const user = await db.user.findUniqueOrThrow({ where: { id: fx.b.customerId } });
  const secret = process.env.E2E_NEXTAUTH_SECRET!;
  const cookieOf = async (claims: Record<string, unknown>, maxAge = 3600) =>
    `${sessionCookieName}=${await encode({ token: { uid: user.id, role: user.role, sv: user.sessionVersion, email: user.email, ...claims }, secret, maxAge })}`;
  const fresh = await cookieOf({ loginAt: Date.now() });
  assert.equal((await getPage("/servers", fresh)).status, 200, "a fresh, correctly signed cookie is a session");
  const old = await cookieOf({ loginAt: Date.now() - sessionLifetimeSeconds * 1000 - 60_000 });
  assert.equal((await getPage("/servers", old)).location, "/login", "older than the lifetime");
  const expired = await cookieOf({ loginAt: Date.now() }, -60);
  assert.equal((await getPage("/servers", expired)).location, "/login", "past the cookie's expiry (idle limit)");
  const wrongKey = `${sessionCookieName}=${await encode({ token: { uid: user.id, role: user.role, sv: user.sessionVersion, loginAt: Date.now() }, secret: "another-secret-of-enough-length-0123456789" })}`;
  assert.equal((await getPage("/servers", wrongKey)).location, "/login", "signed with another secret");
});
