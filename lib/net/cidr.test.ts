import { test } from "node:test";
import assert from "node:assert/strict";
import { assignableCount, candidates, canonicalAddress, contains, formatNetwork, parseAddress, parseNetwork, type Network } from "./cidr";

const net = (t: string) => parseNetwork(t) as Network;

test("networks parse to canonical form and reject host bits", () => {
  assert.equal(formatNetwork(net("192.0.2.0/24")), "192.0.2.0/24");
  assert.equal(formatNetwork(net("2001:DB8:0:0::/48")), "2001:db8::/48");
  assert.match(parseNetwork("192.0.2.1/24") as string, /host bits set \(the network is 192\.0\.2\.0\/24\)/);
  assert.match(parseNetwork("192.0.2.0/33") as string, /at most 32/);
  assert.match(parseNetwork("300.0.0.0/8") as string, /not a valid address/);
  assert.match(parseNetwork("192.0.2.0") as string, /must look like/);
});

test("IPv4 single-address pools skip network and broadcast and the skip set", () => {
  const n = net("192.0.2.0/29");
  const all = [...candidates(n, 32, new Set(["192.0.2.1"]))];
  assert.deepEqual(all, ["192.0.2.2", "192.0.2.3", "192.0.2.4", "192.0.2.5", "192.0.2.6"]);
  assert.equal(assignableCount(n, 32, 1), 5n);
  assert.equal(assignableCount(net("192.0.2.0/31"), 32, 0), 2n);
});

test("IPv6 pools hand out single addresses or /64 blocks", () => {
  const n = net("2001:db8::/48");
  const it = candidates(n, 64, new Set());
  assert.equal(it.next().value, "2001:db8::");
  assert.equal(it.next().value, "2001:db8:0:1::");
  assert.equal(assignableCount(n, 64, 0), 65536n);
  // P:: (subnet-router anycast) and P::1 (how a routed prefix is configured) are never single addresses.
  const singles = candidates(net("2001:db8::/126"), 128, new Set(["2001:db8::3"]));
  assert.deepEqual([...singles], ["2001:db8::2"]);
  assert.equal(assignableCount(net("2001:db8::/126"), 128, 0), 2n);
});

test("membership and canonical addresses", () => {
  const n = net("10.0.0.0/8");
  assert.equal(contains(n, parseAddress("10.255.255.255")!.value), true);
  assert.equal(contains(n, parseAddress("11.0.0.0")!.value), false);
  assert.equal(canonicalAddress("2001:0DB8::0001"), "2001:db8::1");
  assert.equal(canonicalAddress("nope"), null);
});
