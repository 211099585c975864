/**
 * The socket.io handshake's origin rule: the panel's own origin (NEXTAUTH_URL, else the
 * Host the request came to) passes; any other origin, a malformed one, and a request a
 * browser marks cross-site or same-site are refused; a request without Origin (not from
 * another site's page) passes.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { allowedOrigins, originRefusal } from "./allowed-origin";

const env = { NEXTAUTH_URL: "https://panel.example.com/" };

test("NEXTAUTH_URL's origin is the only one allowed when set", () => {
  assert.deepEqual(allowedOrigins({ host: "evil.example" }, env), ["https://panel.example.com"]);
  assert.equal(originRefusal({ origin: "https://panel.example.com", host: "panel.example.com" }, env), null);
  assert.match(originRefusal({ origin: "https://evil.example", host: "panel.example.com" }, env) ?? "", /evil/);
  assert.match(originRefusal({ origin: "http://panel.example.com", host: "panel.example.com" }, env) ?? "", /not the panel's/, "scheme matters");
  assert.match(originRefusal({ origin: "https://panel.example.com.evil.example" }, env) ?? "", /not the panel's/);
  assert.match(originRefusal({ origin: "null" }, env) ?? "", /not the panel's/, "sandboxed frames send null");
});

test("without NEXTAUTH_URL the request's own Host is the origin", () => {
  assert.deepEqual(allowedOrigins({ host: "localhost:3000" }, {}), ["http://localhost:3000", "https://localhost:3000"]);
  assert.equal(originRefusal({ origin: "http://localhost:3000", host: "localhost:3000" }, {}), null);
  assert.notEqual(originRefusal({ origin: "http://localhost:3001", host: "localhost:3000" }, {}), null);
  assert.notEqual(originRefusal({ origin: "http://localhost:3000" }, {}), null, "no Host, nothing to compare with");
});

test("requests without Origin pass unless the browser says they are cross-site", () => {
  assert.equal(originRefusal({}, env), null);
  assert.equal(originRefusal({ "sec-fetch-site": "same-origin" }, env), null);
  assert.match(originRefusal({ "sec-fetch-site": "cross-site" }, env) ?? "", /cross-site/);
  assert.match(originRefusal({ "sec-fetch-site": "same-site", origin: "https://panel.example.com" }, env) ?? "", /same-site/);
});
