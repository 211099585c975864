/**
 * Login in a real browser against the real server, database and agent: the admin
 * lands on the admin home with the local host online; a wrong password shows an error
 * and leaves no session; signed-out page requests go to the login page.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { login, openBrowser, type BrowserSession } from "../testing/browser";

let s: BrowserSession;
before(async () => {
  s = await openBrowser();
});
after(async () => {
  await s.close();
});

test("a signed-out request for a panel page goes to the login page", async () => {
  await s.page.goto("/admin");
  await s.page.waitForURL(/\/login\?next=%2Fadmin/);
  assert.ok(await s.page.getByRole("button", { name: "Sign in" }).isVisible());
  await s.shot("auth-01-login-page");
});

test("a wrong password shows an error and creates no session", async () => {
  await login(s.page, process.env.E2E_ADMIN_EMAIL!, "not-the-password");
  const alert = s.page.getByTestId("login-error");
  await alert.waitFor();
  assert.match(await alert.innerText(), /Wrong email or password/);
  await s.shot("auth-02-wrong-password");
  const session = await (await s.page.request.get("/api/auth/session")).json();
  assert.deepEqual(session, {});
  assert.match(s.page.url(), /\/login/);
});

test("the admin logs in and sees the admin home with the local host online", async () => {
  await login(s.page, process.env.E2E_ADMIN_EMAIL!, process.env.E2E_ADMIN_PASSWORD!);
  await s.page.waitForURL(/\/admin$/);
  await s.page.getByRole("heading", { name: "Overview" }).waitFor();
  assert.equal(await s.page.getByTestId("user-role").innerText(), "Administrator");
  const status = s.page.getByTestId("host-status").first();
  assert.equal(await status.getAttribute("data-status"), "ONLINE");
  await s.shot("auth-03-admin-home");
  const session = await (await s.page.request.get("/api/auth/session")).json();
  assert.equal(session.user.email, process.env.E2E_ADMIN_EMAIL);
  assert.equal(session.user.role, "ADMIN");
});

test("signing out ends the session", async () => {
  await s.page.getByRole("button", { name: "Sign out" }).click();
  await s.page.waitForURL(/\/login/);
  const session = await (await s.page.request.get("/api/auth/session")).json();
  assert.deepEqual(session, {});
});
