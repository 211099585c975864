/**
 * The socket.io handshake's origin rule: a page of the panel passes at whatever name it
 * was reached by (its Origin is the request's own origin: the Host, scheme and host from
 * the proxy with TRUST_PROXY=1), and so do NEXTAUTH_URL's origin and the listed ones;
 * any other origin, a malformed one, and a request a browser marks cross-site or
 * same-site are refused (unless listed); a request without Origin passes. A bad list
 * entry is an error naming the variable.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { allowedOrigins, listedOrigins, originRefusal } from "./allowed-origin";

const env = { NEXTAUTH_URL: "https://panel.example.com/" };
const localEnv = { NEXTAUTH_URL: "http://localhost:3000" };

test("a page is the panel's at any name the panel answers: Origin equal to the request's own origin", () => {
  for (const host of ["localhost:3000", "127.0.0.1:3000", "192.0.2.10:3000", "[2001:db8::1]:3000", "vm.lan:3000"]) {
    assert.equal(originRefusal({ origin: `http://${host}`, host }, localEnv), null, host);
  }
  assert.equal(originRefusal({ origin: "http://panel.example.com", host: "panel.example.com:80" }, {}), null, "the default port is not in an Origin");
  assert.equal(originRefusal({ origin: "http://vm.lan:3000", host: "VM.lan:3000" }, {}), null, "host names are case-insensitive");
});

test("another origin is refused, and the reason says which and where the panel answers", () => {
  const refusal = originRefusal({ origin: "http://127.0.0.1:3000", host: "localhost:3000" }, localEnv) ?? "";
  assert.match(refusal, /http:\/\/127\.0\.0\.1:3000 is not an address of this panel/);
  assert.match(refusal, /answers at http:\/\/localhost:3000/);
  assert.match(refusal, /PANEL_ALLOWED_ORIGINS/);
  assert.notEqual(originRefusal({ origin: "http://localhost:3001", host: "localhost:3000" }, {}), null, "the port is part of the origin");
  assert.notEqual(originRefusal({ origin: "https://localhost:3000", host: "localhost:3000" }, {}), null, "so is the scheme");
  assert.notEqual(originRefusal({ origin: "https://evil.example", host: "panel.example.com" }, env), null);
  assert.notEqual(originRefusal({ origin: "https://panel.example.com.evil.example", host: "panel.example.com.evil.example" }, env), null);
  assert.notEqual(originRefusal({ origin: "null", host: "localhost:3000" }, {}), null, "sandboxed frames send null");
  assert.notEqual(originRefusal({ origin: "http://localhost:3000" }, {}), null, "no Host, nothing to compare with");
  assert.notEqual(originRefusal({ origin: "http://a@localhost:3000", host: "a@localhost:3000" }, {}), null, "a Host with user info is no host");
  assert.notEqual(originRefusal({ origin: "http://localhost:3000", host: "localhost:3000/x" }, {}), null, "nor one with a path");
});

test("NEXTAUTH_URL's origin passes too (a proxy that sends its own Host)", () => {
  assert.equal(originRefusal({ origin: "https://panel.example.com", host: "127.0.0.1:3000" }, env), null);
  assert.notEqual(originRefusal({ origin: "http://panel.example.com", host: "127.0.0.1:3000" }, env), null, "scheme matters");
  assert.deepEqual(allowedOrigins({ host: "127.0.0.1:3000" }, env), ["http://127.0.0.1:3000", "https://panel.example.com"]);
});

test("forwarded scheme and host count only with TRUST_PROXY=1", () => {
  const behindNginx = { host: "panel.example.com", "x-forwarded-proto": "https", origin: "https://panel.example.com" };
  assert.equal(originRefusal(behindNginx, { TRUST_PROXY: "1" }), null);
  assert.notEqual(originRefusal(behindNginx, {}), null, "a client's X-Forwarded-Proto is not believed");
  const forwardedHost = { host: "127.0.0.1:3000", "x-forwarded-host": "panel.example.com", "x-forwarded-proto": "https, http", origin: "https://panel.example.com" };
  assert.equal(originRefusal(forwardedHost, { TRUST_PROXY: "1" }), null, "the first hop of a chain");
  assert.notEqual(originRefusal(forwardedHost, {}), null);
  assert.notEqual(originRefusal({ ...behindNginx, "x-forwarded-proto": "gopher" }, { TRUST_PROXY: "1" }), null, "only http or https");
});

test("listed origins pass, also when the browser says cross-site; a bad entry names the variable", () => {
  const listed = { PANEL_ALLOWED_ORIGINS: "https://admin.example.net, http://10.0.0.5:8080/" };
  assert.deepEqual(listedOrigins(listed), ["https://admin.example.net", "http://10.0.0.5:8080"]);
  assert.equal(originRefusal({ origin: "https://admin.example.net", host: "panel.example.com", "sec-fetch-site": "cross-site" }, listed), null);
  assert.equal(originRefusal({ origin: "http://10.0.0.5:8080", host: "127.0.0.1:3000" }, listed), null);
  assert.notEqual(originRefusal({ origin: "https://other.example.net", host: "panel.example.com" }, listed), null);
  for (const bad of ["panel.example.com", "https://panel.example.com/app", "ftp://panel.example.com", "https://u:p@panel.example.com", "https://panel.example.com?x=1"]) {
    assert.throws(() => listedOrigins({ PANEL_ALLOWED_ORIGINS: bad }), (e: Error) => e.message.startsWith("PANEL_ALLOWED_ORIGINS:") && e.message.includes(bad), bad);
  }
  assert.deepEqual(listedOrigins({}), []);
});

test("requests without Origin pass unless the browser says they are cross-site", () => {
  assert.equal(originRefusal({}, env), null);
  assert.equal(originRefusal({ "sec-fetch-site": "same-origin" }, env), null);
  assert.match(originRefusal({ "sec-fetch-site": "cross-site" }, env) ?? "", /cross-site/);
  assert.match(originRefusal({ "sec-fetch-site": "same-site", origin: "https://panel.example.com" }, env) ?? "", /same-site/);
  assert.match(originRefusal({ "sec-fetch-site": "cross-site", origin: "http://localhost:3000", host: "localhost:3000" }, {}) ?? "", /cross-site/, "a same-origin Origin does not outvote the browser");
});
