import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AgentFailure } from "../../errors";
import { netnsPathOf, parseAttachRequest, parseRate, type AttachNetworkRequest } from "./spec";

const base: AttachNetworkRequest = {
  name: "web1",
  ctx: 1234,
  netnsPid: 4711,
  interfaces: [
    { address: "10.213.0.2", prefix: 24 },
    { address: "fd00:213::2", prefix: 64, family: 6 },
  ],
};

function fieldOf(input: Partial<AttachNetworkRequest> & Record<string, unknown>): string | undefined {
  try {
    parseAttachRequest({ ...base, ...input } as AttachNetworkRequest, "seed");
  } catch (error) {
    assert.ok(error instanceof AgentFailure, String(error));
    return error.field;
  }
  assert.fail("expected a failure");
}

describe("parseAttachRequest", () => {
  it("derives names, MAC and link-local", () => {
    const spec = parseAttachRequest(base, "seed");
    assert.equal(spec.netnsPath, "/proc/4711/ns/net");
    assert.equal(spec.hostLink, "vsh1234");
    assert.equal(spec.ifb, "vsi1234");
    assert.equal(spec.table, "vs1234");
    assert.deepEqual(spec.mode, { kind: "routed" });
    assert.deepEqual(spec.rate, { in: null, out: null });
    assert.ok(spec.mac.endsWith(":04:d2"));
    assert.ok(spec.linkLocal.startsWith("fe80::"));
  });

  it("accepts bridge mode with gateways and a fixed MAC", () => {
    const spec = parseAttachRequest(
      { ...base, mode: { bridge: "br-pool", gateway4: "10.213.0.1", gateway6: "FD00:213::1" }, mac: "02:00:00:00:00:09" },
      "seed",
    );
    assert.deepEqual(spec.mode, { kind: "bridge", bridge: "br-pool", gateway4: "10.213.0.1", gateway6: "fd00:213::1" });
    assert.equal(spec.linkLocal, "fe80::ff:fe00:9");
  });

  it("names the wrong field", () => {
    assert.equal(fieldOf({ name: "../etc" }), "name");
    assert.equal(fieldOf({ ctx: 1 }), "ctx");
    assert.equal(fieldOf({ netnsPid: -3 }), "netnsPid");
    assert.equal(fieldOf({ interfaces: [{ address: "10.213.0.2", prefix: 24 }, { address: "x", prefix: 1 }] }), "interfaces[1].address");
    assert.equal(fieldOf({ mode: { bridge: "a-very-long-bridge-name" } }), "mode.bridge");
    assert.equal(fieldOf({ mode: { bridge: "vsh12" } }), "mode.bridge");
    assert.equal(fieldOf({ mode: { bridge: "br0", gateway4: "fd00::1" } }), "mode.gateway4");
    assert.equal(fieldOf({ mode: "nat" as never }), "mode");
    assert.equal(fieldOf({ rateBitsPerSec: { in: 5 } }), "rateBitsPerSec.in");
    assert.equal(fieldOf({ mac: "ff:ff:ff:ff:ff:ff" }), "mac");
  });

  it("takes a pid or a path, never both", () => {
    assert.equal(netnsPathOf({ netnsPath: "/run/netns/x" }), "/run/netns/x");
    assert.throws(() => netnsPathOf({ netnsPid: 1, netnsPath: "/run/netns/x" }), AgentFailure);
    assert.throws(() => netnsPathOf({ netnsPath: "run/netns/x" }), AgentFailure);
    assert.throws(() => netnsPathOf({ netnsPath: "/run/netns/../x" }), AgentFailure);
    assert.throws(() => netnsPathOf({}), AgentFailure);
  });

  it("parses rates", () => {
    assert.deepEqual(parseRate({ in: 100_000_000 }), { in: 100_000_000, out: null });
    assert.deepEqual(parseRate(undefined), { in: null, out: null });
  });
});
