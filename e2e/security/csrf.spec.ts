/**
 * Cross-site request forgery on the real server. Server actions: a post carrying the
 * victim's cookie from another origin (as a fetch with Next-Action, and as a plain
 * multipart form) runs nothing, while the same post from the panel's origin does.
 * next-auth: a login or sign-out post without the csrf token (or with another
 * session's) does nothing. REST API: a session cookie is no credential (401). socket.io:
 * a handshake with a valid cookie from a foreign origin is refused.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { io } from "socket.io-client";
import type { Db } from "@/lib/db/client";
import { tenantPassword, type Tenants } from "@/lib/auth/testing/tenants";
import { baseUrl } from "../testing/browser";
import { getPage, mustLogin, postAction, serverActionId, sessionCookieName, type Cookie } from "./testing/http-session";
import { stackDb, stackTenants } from "./testing/stack-tenants";

let db: Db;
let fx: Tenants;
let customer: Cookie;
let admin: Cookie;
const panelOrigin = () => new URL(baseUrl()).origin;

before(async () => {
  db = stackDb();
  const seeded = await stackTenants(db);
  fx = seeded.fx;
  customer = seeded.cookies.customerA!;
  admin = seeded.cookies.admin!;
});
after(async () => {
  await db?.$disconnect();
});

const version = async (id: string) => (await db.user.findUniqueOrThrow({ where: { id } })).sessionVersion;

test("a server action posted from another origin with the victim's cookie does not run", async () => {
  const action = serverActionId("lib/actions/sessions/session-actions.ts", "signOutEverywhereAction");
  const page = "/account";
  const before = await version(fx.a.customerId);
  for (const origin of ["http://evil.example", "null", `${panelOrigin()}.evil.example`]) {
    const answer = await postAction(page, action.id, [], { cookie: customer, origin });
    assert.notEqual(answer.status, 200, `origin ${origin}: ${answer.text.slice(0, 200)}`);
    assert.equal(await version(fx.a.customerId), before, `origin ${origin} ran the action`);
  }
  // A classic cross-site form post (multipart, action id in a field) is refused too.
  const form = new FormData();
  form.set(`$ACTION_ID_${action.id}`, "");
  const res = await fetch(`${baseUrl()}${page}`, { method: "POST", headers: { cookie: customer, origin: "http://evil.example" }, body: form, redirect: "manual" });
  await res.text();
  assert.equal(await version(fx.a.customerId), before, "the form post ran the action");
  // The same post from the panel's own origin runs (so the refusals above were not a broken request).
  const ok = await postAction(page, action.id, [], { cookie: customer, origin: panelOrigin() });
  assert.equal(ok.status, 200, ok.text.slice(0, 200));
  assert.equal(await version(fx.a.customerId), before + 1);
  assert.equal((await getPage("/servers", customer)).location, "/login", "and it signed the customer out everywhere");
  customer = await mustLogin(fx.a.customerEmail, tenantPassword);
});

test("next-auth refuses a login post without its csrf token, or with another browser's", async () => {
  const post = (body: Record<string, string>, cookie = "") =>
    fetch(`${baseUrl()}/api/auth/callback/credentials`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", ...(cookie ? { cookie } : {}) },
      body: new URLSearchParams({ email: fx.a.customerEmail, password: tenantPassword, json: "true", ...body }),
      redirect: "manual",
    });
  const gotSession = (res: Response) => res.headers.getSetCookie().some((c) => c.startsWith(`${sessionCookieName}=`));
  assert.equal(gotSession(await post({})), false, "no token");
  assert.equal(gotSession(await post({ csrfToken: "forged" })), false, "a made-up token");
  const csrfRes = await fetch(`${baseUrl()}/api/auth/csrf`);
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  assert.equal(gotSession(await post({ csrfToken })), false, "a real token without its cookie (another browser's)");
  const csrfCookie = csrfRes.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  assert.equal(gotSession(await post({ csrfToken }, csrfCookie)), true, "token and cookie together log in");
});

test("next-auth refuses a sign-out post without its csrf token", async () => {
  const session = await mustLogin(fx.a.customerEmail, tenantPassword);
  const res = await fetch(`${baseUrl()}/api/auth/signout`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: session, origin: "http://evil.example" },
    body: new URLSearchParams({ json: "true" }),
    redirect: "manual",
  });
  await res.text();
  assert.equal(res.headers.getSetCookie().some((c) => c.startsWith(`${sessionCookieName}=;`) || /session-token=; /.test(c)), false);
  assert.equal((await getPage("/servers", session)).status, 200, "the session still works");
});

test("the REST API takes no cookies: an admin's session cookie is a 401 on reads and writes", async () => {
  for (const [method, path] of [
    ["GET", "/api/v1/servers"],
    ["GET", `/api/v1/servers/${fx.a.serverId}`],
    ["POST", `/api/v1/servers/${fx.a.serverId}/stop`],
    ["DELETE", `/api/v1/customers/${fx.a.customerId}`],
  ] as const) {
    const res = await fetch(`${baseUrl()}${path}`, {
      method,
      headers: { cookie: admin, origin: panelOrigin(), "content-type": "application/json" },
      body: method === "GET" ? undefined : "{}",
    });
    assert.equal(res.status, 401, `${method} ${path}`);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, "UNAUTHORIZED");
  }
  assert.equal((await db.user.findUniqueOrThrow({ where: { id: fx.a.customerId } })).status, "ACTIVE");
  // The admin's token does work (the 401s are about the credential, not the route).
  assert.equal((await fetch(`${baseUrl()}/api/v1/servers/${fx.a.serverId}`, { headers: { authorization: `Bearer ${fx.adminToken}` } })).status, 200);
});

function handshake(headers: Record<string, string>): Promise<"connected" | string> {
  return new Promise((resolve) => {
    const socket = io(baseUrl(), { transports: ["websocket"], extraHeaders: headers, reconnection: false, timeout: 10_000 });
    socket.once("connect", () => {
      socket.close();
      resolve("connected");
    });
    socket.once("connect_error", (e) => {
      socket.close();
      resolve(e.message);
    });
  });
}

test("socket.io refuses a handshake with a valid cookie from a foreign origin", async () => {
  // The refusal names the origin and says where the panel answers (shown on the page).
  assert.match(await handshake({ cookie: customer, origin: "http://evil.example" }), /^forbidden origin: http:\/\/evil\.example is not an address of this panel/);
  assert.match(await handshake({ cookie: customer, origin: `${panelOrigin()}.evil.example` }), /^forbidden origin: /);
  assert.match(await handshake({ cookie: customer, origin: panelOrigin(), "sec-fetch-site": "cross-site" }), /^forbidden origin: a cross-site request/);
  assert.equal(await handshake({ cookie: customer, origin: panelOrigin() }), "connected");
  assert.equal(await handshake({ origin: panelOrigin() }), "unauthorized", "and no cookie is no socket");
});
