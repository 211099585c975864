import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AgentFailure } from "../../errors";
import { parseCidr, parseInterfaceAddress, parseInterfaceAddresses, parseIp } from "./address";
import { formatIPv6, parseIPv4, parseIPv6 } from "@/lib/net/ip-text";

function fieldOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof AgentFailure, String(error));
    assert.equal(error.code, "BAD_REQUEST");
    return error.field;
  }
  assert.fail("expected a BAD_REQUEST");
}

describe("ip text", () => {
  it("parses IPv4 strictly", () => {
    assert.deepEqual([...parseIPv4("10.213.0.2")!], [10, 213, 0, 2]);
    for (const bad of ["10.213.0", "10.213.0.256", "010.1.1.1", "1.2.3.4.5", "1.2.3.a", "", " 1.2.3.4"]) {
      assert.equal(parseIPv4(bad), null, bad);
    }
  });

  it("writes IPv6 in RFC 5952 form", () => {
    const cases: [string, string][] = [
      ["FD00:0213:0000:0000:0000:0000:0000:0002", "fd00:213::2"],
      ["2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"],
      ["2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"],
      ["::", "::"],
      ["::1", "::1"],
      ["1::", "1::"],
      ["::ffff:10.0.0.1", "::ffff:a00:1"],
      ["fe80::0035:ff:fe96:ea61", "fe80::35:ff:fe96:ea61"],
    ];
    for (const [input, canonical] of cases) assert.equal(formatIPv6(parseIPv6(input)!), canonical, input);
  });

  it("refuses malformed IPv6", () => {
    for (const bad of ["1:2:3:4:5:6:7:8:9", "1::2::3", "12345::", "fe80::1%eth0", ":1:2", "1:2:3:4:5:6:7", "g::1", "1:2:3:4:5:6:7::8"]) {
      assert.equal(parseIPv6(bad), null, bad);
    }
  });

  it("parseIp tells the families apart", () => {
    assert.equal(parseIp("10.0.0.1")?.family, 4);
    assert.equal(parseIp("fd00::1")?.family, 6);
    assert.equal(parseIp("example.org"), null);
  });
});

describe("parseInterfaceAddress", () => {
  it("returns canonical text and infers the family", () => {
    assert.deepEqual(parseInterfaceAddress({ address: "FD00:213:0::2", prefix: 64 }, "i"), { family: 6, address: "fd00:213::2", prefix: 64 });
    assert.deepEqual(parseInterfaceAddress({ address: "10.213.0.2", prefix: 24, family: "inet" }, "i"), { family: 4, address: "10.213.0.2", prefix: 24 });
  });

  it("names the field that is wrong", () => {
    assert.equal(fieldOf(() => parseInterfaceAddress({ address: "10.213.0.999", prefix: 24 }, "interfaces[2]")), "interfaces[2].address");
    assert.equal(fieldOf(() => parseInterfaceAddress({ address: "10.213.0.2", prefix: 33 }, "x")), "x.prefix");
    assert.equal(fieldOf(() => parseInterfaceAddress({ address: "10.213.0.2", prefix: 24.5 }, "x")), "x.prefix");
    assert.equal(fieldOf(() => parseInterfaceAddress({ address: "fd00::2", prefix: 64, family: 4 }, "x")), "x.address");
    assert.equal(fieldOf(() => parseInterfaceAddress({ address: "fd00::2", prefix: 64, family: "ip7" }, "x")), "x.family");
    assert.equal(fieldOf(() => parseInterfaceAddress("10.0.0.1", "x")), "x");
  });

  it("refuses addresses no server may own", () => {
    for (const [address, prefix] of [
      ["127.0.0.2", 8],
      ["169.254.0.1", 16],
      ["224.0.0.5", 24],
      ["0.1.2.3", 8],
      ["255.255.255.255", 32],
      ["10.213.0.0", 24],
      ["10.213.0.255", 24],
      ["::1", 128],
      ["fe80::5", 64],
      ["ff02::1", 64],
      ["::ffff:10.0.0.1", 96],
      ["fd00:213::", 64],
    ] as const) {
      assert.ok(fieldOf(() => parseInterfaceAddress({ address, prefix }, "a"))?.startsWith("a."), address);
    }
  });

  it("allows /31, /32 and /127, /128 host addresses", () => {
    assert.equal(parseInterfaceAddress({ address: "10.0.0.0", prefix: 31 }, "a").address, "10.0.0.0");
    assert.equal(parseInterfaceAddress({ address: "10.0.0.0", prefix: 32 }, "a").address, "10.0.0.0");
    assert.equal(parseInterfaceAddress({ address: "fd00::", prefix: 128 }, "a").address, "fd00::");
  });

  it("refuses duplicates in a list, also in different spellings", () => {
    const field = fieldOf(() => parseInterfaceAddresses([{ address: "fd00::2", prefix: 64 }, { address: "FD00:0::2", prefix: 128 }], "interfaces"));
    assert.equal(field, "interfaces[1].address");
  });

  it("parses CIDR text, defaulting to a host prefix", () => {
    assert.deepEqual(parseCidr("10.1.2.3/24", "ip"), { family: 4, address: "10.1.2.3", prefix: 24 });
    assert.deepEqual(parseCidr("10.1.2.3", "ip"), { family: 4, address: "10.1.2.3", prefix: 32 });
    assert.deepEqual(parseCidr("2001:db8::7", "ip"), { family: 6, address: "2001:db8::7", prefix: 128 });
    assert.equal(fieldOf(() => parseCidr("10.1.2.3/24/1", "ip")), "ip");
    assert.equal(fieldOf(() => parseCidr("10.1.2.3/x", "ip")), "ip");
  });
});

describe("parseCidr errors", () => {
  it("name the one field of the text", () => {
    assert.throws(() => parseCidr("10.1.2.300/24", "ip"), (e: unknown) => e instanceof AgentFailure && e.field === "ip" && /10\.1\.2\.300/.test(e.message));
    assert.throws(() => parseCidr("10.1.2.3/40", "ip"), (e: unknown) => e instanceof AgentFailure && e.field === "ip" && e.message.startsWith("ip: must be"));
  });
});
