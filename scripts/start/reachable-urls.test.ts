/** `npm start`'s list of URLs: every name and address the bound socket answers on. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { reachableUrls } from "./reachable-urls";

const interfaces = {
  lo: [
    { address: "127.0.0.1", family: "IPv4", internal: true },
    { address: "::1", family: "IPv6", internal: true },
  ],
  eth0: [
    { address: "192.0.2.10", family: "IPv4", internal: false },
    { address: "2001:db8::10", family: "IPv6", internal: false },
    { address: "fe80::1", family: "IPv6", internal: false },
  ],
  eth1: [{ address: "10.0.0.5", family: "IPv4", internal: false }],
} as const;

test("on all IPv4 addresses: localhost, 127.0.0.1 and each interface's IPv4 address", () => {
  assert.deepEqual(reachableUrls("0.0.0.0", 3000, structuredClone(interfaces) as never), ["http://localhost:3000", "http://127.0.0.1:3000", "http://192.0.2.10:3000", "http://10.0.0.5:3000"]);
});

test("on :: also the IPv6 addresses, without link-local ones", () => {
  assert.deepEqual(reachableUrls("::", 8080, structuredClone(interfaces) as never), [
    "http://localhost:8080",
    "http://127.0.0.1:8080",
    "http://192.0.2.10:8080",
    "http://[2001:db8::10]:8080",
    "http://10.0.0.5:8080",
  ]);
});

test("on one address only that one (and localhost for loopback)", () => {
  assert.deepEqual(reachableUrls("127.0.0.1", 3000, {}), ["http://localhost:3000", "http://127.0.0.1:3000"]);
  assert.deepEqual(reachableUrls("192.0.2.10", 3000, {}), ["http://192.0.2.10:3000"]);
  assert.deepEqual(reachableUrls("2001:db8::10", 3000, {}), ["http://[2001:db8::10]:3000"]);
});
