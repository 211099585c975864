/**
 * The redirect after login stays on the panel, in a real browser: `/login?next=…` with
 * the forms that a browser resolves to another host (`/\host`, `/%5Chost`, a tab or a
 * newline before `//host`, `//host`, an absolute URL, `javascript:`) signs the user in
 * and lands on the panel; the browser never asks for the other host (every request to
 * it is caught and counted). A `next` on the panel is followed.
 * Screenshots: e2e/output/login-redirect-*.png.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { baseUrl, openBrowser, type BrowserSession } from "../testing/browser";
import { createUser } from "../testing/users";

let s: BrowserSession;
let email: string;
const password = "redirect-e2e-password-1";
const evilRequests: string[] = [];

before(async () => {
  email = await createUser("CUSTOMER", password);
  s = await openBrowser();
  // Anything for the other host is answered here (and counted), never by the network.
  await s.context.route(/^[a-z]+:\/\/evil\.example(:\d+)?\//, async (route) => {
    evilRequests.push(route.request().url());
    await route.fulfill({ status: 200, contentType: "text/html", body: "<h1>phishing copy</h1>" });
  });
});
after(async () => {
  await s?.close();
});

/** Signs in at `/login?…` and waits until the browser has landed somewhere; returns where. */
async function signInVia(query: string): Promise<URL> {
  await s.context.clearCookies();
  await s.page.goto(`/login?${query}`);
  await s.page.getByLabel("Email").fill(email);
  await s.page.getByLabel("Password").fill(password);
  await s.page.getByRole("button", { name: "Sign in" }).click();
  await s.page.waitForURL((url) => url.hostname === "evil.example" || (url.origin === new URL(baseUrl()).origin && url.pathname !== "/login" && url.pathname !== "/"));
  return new URL(s.page.url());
}

test("next values that a browser reads as another host leave the user on the panel", async () => {
  const bypasses = [
    "next=/\\evil.example",
    "next=/%5Cevil.example",
    "next=/%09/evil.example",
    "next=/%0A/evil.example",
    "next=%09//evil.example",
    "next=//evil.example",
    "next=%2F%2Fevil.example",
    "next=/%5C/evil.example/servers",
    "next=http://evil.example/",
    "next=javascript:alert(document.domain)",
  ];
  for (const [i, query] of bypasses.entries()) {
    const landed = await signInVia(query);
    if (i === 0) await s.shot("login-redirect-01-stayed");
    assert.equal(landed.origin, new URL(baseUrl()).origin, `${query} went to ${landed.href}`);
    assert.equal(landed.pathname, "/servers", `${query}: the customer's home`);
  }
  assert.deepEqual(evilRequests, [], "the browser never asked the other host for anything");
});

test("a next on the panel is followed", async () => {
  const landed = await signInVia("next=%2Faccount");
  assert.equal(landed.pathname, "/account");
  await s.page.getByRole("heading", { name: /account/i }).first().waitFor();
  await s.shot("login-redirect-02-next-followed");
  assert.deepEqual(evilRequests, []);
});
