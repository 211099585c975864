/** Redirect targets from input: the forms that leave the origin in a browser are refused, paths on it kept. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { safeRedirectPath } from "./safe-redirect";

const origin = "https://panel.example.com";

test("targets that a browser resolves to another host (or no host) fall back", () => {
  for (const target of [
    "//evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "\t//evil.example",
    " //evil.example",
    "https://evil.example/servers",
    "http://panel.example.com/servers",
    "http:evil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "https://panel.example.com@evil.example/",
    "//panel.example.com@evil.example",
    "",
    "x".repeat(3000),
  ]) {
    assert.equal(safeRedirectPath(target, "/", origin), "/", JSON.stringify(target));
  }
  assert.equal(safeRedirectPath(undefined), "/");
  assert.equal(safeRedirectPath(["/servers"]), "/");
  assert.equal(safeRedirectPath("//evil.example", "/home", origin), "/home");
});

test("paths on the origin are kept, normalised so that they stay there", () => {
  assert.equal(safeRedirectPath("/servers/abc?job=1#log", "/", origin), "/servers/abc?job=1#log");
  assert.equal(safeRedirectPath("https://panel.example.com/admin", "/", origin), "/admin");
  assert.equal(safeRedirectPath("servers", "/", origin), "/servers");
  // Same scheme without slashes is relative, as in a browser: a path here.
  assert.equal(safeRedirectPath("https:evil.example", "/", origin), "/evil.example");
  // Still encoded, these are paths on the panel, not hosts.
  assert.equal(safeRedirectPath("/%5Cevil.example", "/", origin), "/%5Cevil.example");
  assert.equal(safeRedirectPath("/%09/evil.example", "/", origin), "/%09/evil.example");
  // Dot segments that would leave "//host" as the path are collapsed to one slash.
  assert.equal(safeRedirectPath("/.//evil.example", "/", origin), "/evil.example");
  assert.equal(safeRedirectPath("/a/..//evil.example", "/", origin), "/evil.example");
  for (const target of ["/.//evil.example", "/a/..//evil.example", "/servers"]) {
    const path = safeRedirectPath(target, "/", origin);
    assert.equal(new URL(path, origin).origin, origin, path);
  }
});

test("without an origin at hand (the server), the answer is the same path", () => {
  assert.equal(safeRedirectPath("/servers?x=1"), "/servers?x=1");
  assert.equal(safeRedirectPath("/\\evil.example"), "/");
  assert.equal(safeRedirectPath("http://panel.invalid/evil"), "/evil", "only a path comes back, never the placeholder host");
});
