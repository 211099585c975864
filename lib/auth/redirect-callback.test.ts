/**
 * next-auth's redirects stay on the name the person used and never leave the panel:
 * paths and the panel's own URLs (at the request's origin or NEXTAUTH_URL's) keep their
 * path on the request's origin; other sites, scheme-relative and malformed targets go
 * to the panel's home page.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { redirectOnRequestOrigin } from "./redirect-callback";

const baseUrl = "http://localhost:3000";
const at127 = redirectOnRequestOrigin("http://127.0.0.1:3000");

test("a path or a URL of the panel lands on the origin the request came to", () => {
  assert.equal(at127({ url: "/login", baseUrl }), "http://127.0.0.1:3000/login");
  assert.equal(at127({ url: "/login?reason=signed-out-everywhere", baseUrl }), "http://127.0.0.1:3000/login?reason=signed-out-everywhere");
  assert.equal(at127({ url: "http://127.0.0.1:3000/servers?x=1#top", baseUrl }), "http://127.0.0.1:3000/servers?x=1#top");
  assert.equal(at127({ url: "http://localhost:3000/servers", baseUrl }), "http://127.0.0.1:3000/servers", "NEXTAUTH_URL's origin is the panel too");
  assert.equal(at127({ url: "servers", baseUrl }), "http://127.0.0.1:3000/servers");
});

test("nothing leaves the panel", () => {
  for (const url of ["https://evil.example/", "//evil.example/x", "/\\evil.example", "http://127.0.0.1:3001/", "https://127.0.0.1:3000/", "javascript:alert(1)", "http://[bad"]) {
    assert.equal(at127({ url, baseUrl }), "http://127.0.0.1:3000/", url);
  }
});

test("without a request origin, NEXTAUTH_URL's is the home", () => {
  const plain = redirectOnRequestOrigin(null);
  assert.equal(plain({ url: "/login", baseUrl }), "http://localhost:3000/login");
  assert.equal(plain({ url: "https://evil.example/", baseUrl }), "http://localhost:3000/");
});
