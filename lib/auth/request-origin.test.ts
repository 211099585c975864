/**
 * The origin a request came to: Host over plain HTTP; the proxy's scheme and host only
 * with TRUST_PROXY=1; nothing from a Host that is not a plain host. The panel origin for
 * links takes NEXTAUTH_URL's scheme when it names the same host.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { panelOrigin, requestOrigin } from "./request-origin";

test("the Host over plain HTTP, in either header shape", () => {
  assert.equal(requestOrigin({ host: "127.0.0.1:4123" }, {}), "http://127.0.0.1:4123");
  assert.equal(requestOrigin(new Headers({ host: "Vm.Lan:80" }), {}), "http://vm.lan");
  assert.equal(requestOrigin({ host: "[::1]:3000" }, {}), "http://[::1]:3000");
  assert.equal(requestOrigin({}, {}), null);
  for (const bad of ["a@b", "a/b", "a b", "a?b", "a#b", "x".repeat(300)]) assert.equal(requestOrigin({ host: bad }, {}), null, bad);
});

test("X-Forwarded-Proto and -Host count with TRUST_PROXY=1 only", () => {
  const h = new Headers({ host: "127.0.0.1:3000", "x-forwarded-proto": "https", "x-forwarded-host": "panel.example.com" });
  assert.equal(requestOrigin(h, { TRUST_PROXY: "1" }), "https://panel.example.com");
  assert.equal(requestOrigin(h, {}), "http://127.0.0.1:3000");
  assert.equal(requestOrigin({ host: "panel.example.com:443", "x-forwarded-proto": "https" }, { TRUST_PROXY: "1" }), "https://panel.example.com");
  assert.equal(requestOrigin({ host: "p.example", "x-forwarded-proto": "ftp" }, { TRUST_PROXY: "1" }), "http://p.example");
});

test("the panel origin: the request's, in NEXTAUTH_URL's scheme for the same host", () => {
  const env = { NEXTAUTH_URL: "https://panel.example.com" };
  assert.equal(panelOrigin({ host: "panel.example.com" }, env), "https://panel.example.com", "https behind a proxy without TRUST_PROXY");
  assert.equal(panelOrigin({ host: "192.0.2.7:3000" }, env), "http://192.0.2.7:3000");
  assert.equal(panelOrigin({}, env), "https://panel.example.com");
  assert.equal(panelOrigin({}, {}), null);
});
