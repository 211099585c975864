/** The panel's CSP and Permissions-Policy strings. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { contentSecurityPolicy, newCspNonce, permissionsPolicy } from "./content-security-policy";

function directives(csp: string): Map<string, string[]> {
  return new Map(csp.split(";").map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]));
}

test("scripts need the nonce; no inline script or eval in production; eval only in development", () => {
  const nonce = newCspNonce();
  const prod = directives(contentSecurityPolicy(nonce));
  assert.deepEqual(prod.get("script-src"), ["'self'", `'nonce-${nonce}'`, "'strict-dynamic'"]);
  assert.ok(directives(contentSecurityPolicy(nonce, { dev: true })).get("script-src")!.includes("'unsafe-eval'"));
  for (const [name, values] of prod) if (name !== "style-src") assert.ok(!values.includes("'unsafe-inline'"), name);
});

test("no plugins, frames, base or foreign targets; connections to the panel only", () => {
  const csp = directives(contentSecurityPolicy(newCspNonce()));
  assert.deepEqual(csp.get("object-src"), ["'none'"]);
  assert.deepEqual(csp.get("frame-ancestors"), ["'none'"]);
  assert.deepEqual(csp.get("base-uri"), ["'none'"]);
  assert.deepEqual(csp.get("form-action"), ["'self'"]);
  assert.deepEqual(csp.get("connect-src"), ["'self'"]);
  assert.deepEqual(csp.get("default-src"), ["'self'"]);
});

test("a nonce is fresh, long enough, and a malformed one is refused", () => {
  const a = newCspNonce();
  assert.notEqual(a, newCspNonce());
  assert.match(a, /^[A-Za-z0-9+/]{22}==$/);
  assert.throws(() => contentSecurityPolicy("short"));
  assert.throws(() => contentSecurityPolicy("x'; script-src * 'unsafe-inline"));
});

test("no page may read the clipboard; writing stays with the panel", () => {
  assert.match(permissionsPolicy, /(^|, )clipboard-read=\(\)(,|$)/);
  assert.match(permissionsPolicy, /(^|, )clipboard-write=\(self\)(,|$)/);
});
