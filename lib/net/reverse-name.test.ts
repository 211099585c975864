/** Reverse names: PTR owner names both ways, and where a pool's reverse zones are cut. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseAddress, parseNetwork, type Network } from "./cidr";
import { addressOfPtrName, addressTextOfPtrName, ptrNameInside, ptrNameOf, reverseZoneOfAddress, reverseZonesOf } from "./reverse-name";

const net = (text: string) => parseNetwork(text) as Network;
const ptr = (text: string) => {
  const a = parseAddress(text)!;
  return ptrNameOf(a.family, a.value);
};

test("PTR names of IPv4 and IPv6 addresses are the reversed octets and nibbles", () => {
  assert.equal(ptr("192.0.2.10"), "10.2.0.192.in-addr.arpa.");
  assert.equal(ptr("2001:db8::1"), "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa.");
});

test("a PTR name reads back to its address, and partial names are refused", () => {
  for (const a of ["192.0.2.10", "2001:db8:0:1::abcd", "0.0.0.0"]) assert.equal(addressTextOfPtrName(ptr(a)), a);
  assert.equal(addressOfPtrName("2.0.192.in-addr.arpa."), null);
  assert.equal(addressOfPtrName("300.2.0.192.in-addr.arpa"), null);
  assert.equal(addressOfPtrName("8.b.d.0.1.0.0.2.ip6.arpa."), null);
});

test("IPv4 zones are cut at the octet boundary, small pools get their enclosing /24", () => {
  assert.deepEqual(reverseZonesOf(net("192.0.2.0/24")), ["2.0.192.in-addr.arpa."]);
  assert.deepEqual(reverseZonesOf(net("192.0.2.64/26")), ["2.0.192.in-addr.arpa."]);
  assert.deepEqual(reverseZonesOf(net("198.51.100.0/23")), ["100.51.198.in-addr.arpa.", "101.51.198.in-addr.arpa."]);
  assert.deepEqual(reverseZonesOf(net("10.0.0.0/16")), ["0.10.in-addr.arpa."]);
  const seventeen = reverseZonesOf(net("10.0.0.0/17"));
  assert.equal(seventeen?.length, 128);
  assert.equal(seventeen?.at(-1), "127.0.10.in-addr.arpa.");
});

test("IPv6 zones are cut at the nibble boundary", () => {
  assert.deepEqual(reverseZonesOf(net("2001:db8::/48")), ["0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa."]);
  assert.deepEqual(reverseZonesOf(net("2001:db8::/47")), ["0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa.", "1.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa."]);
  const pool = net("2001:db8::/47");
  assert.equal(reverseZoneOfAddress(pool, parseAddress("2001:db8:1:5::1")!.value), "1.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa.");
});

test("whether a PTR name lies inside an assigned prefix", () => {
  const prefix = net("2001:db8:0:1::/64");
  assert.equal(ptrNameInside(prefix, ptr("2001:db8:0:1::25")), true);
  assert.equal(ptrNameInside(prefix, ptr("2001:db8:0:2::25")), false);
  assert.equal(ptrNameInside(net("192.0.2.10/32"), ptr("192.0.2.10")), true);
  assert.equal(ptrNameInside(net("192.0.2.10/32"), ptr("192.0.2.11")), false);
});
