/** Routed IPv6 prefixes as data: which addresses stand for a prefix, routes, nft sets, claims. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkOwnClaims } from "./address-claims";
import { hostRouteArgv, hostUpLines } from "./ip-script";
import { allowedSources, changeSourcesScript, createTableScript, sourceElement } from "./nft-script";
import { claimOf, claimsOverlap, routedPrefixOf } from "./routed-prefix";
import { parseAttachRequest } from "./spec";

const routed = { kind: "routed" } as const;
const bridge = { kind: "bridge" } as const;
const v6 = (address: string, prefix: number) => ({ family: 6 as const, address, prefix });
const v4 = (address: string, prefix: number) => ({ family: 4 as const, address, prefix });

describe("routed prefixes", () => {
  it("the prefix's ::1 with a length up to /64 stands for the whole prefix, in routed mode only", () => {
    assert.equal(routedPrefixOf(routed, v6("2001:db8:100::1", 64)), "2001:db8:100::/64");
    assert.equal(routedPrefixOf(routed, v6("2001:db8:100:ab00::1", 56)), "2001:db8:100:ab00::/56");
    assert.equal(routedPrefixOf(routed, v6("2001:db8:100::2", 64)), null, "another address of a shared /64");
    assert.equal(routedPrefixOf(routed, v6("2001:db8:100::1:1", 64)), null, "host bits other than ::1");
    assert.equal(routedPrefixOf(routed, v6("2001:db8:100::1", 128)), null);
    assert.equal(routedPrefixOf(routed, v6("2001:db8:100::1", 80)), null, "longer than /64");
    assert.equal(routedPrefixOf(bridge, v6("2001:db8:100::1", 64)), null);
    assert.equal(routedPrefixOf(routed, v4("10.0.0.1", 24)), null);
  });

  it("is routed whole via the guest's link-local; single addresses keep /32 and /128 on the link", () => {
    const target = { hostLink: "vsh12", linkLocal: "fe80::ff:fe00:c" };
    assert.deepEqual(hostRouteArgv("add", target, v6("2001:db8:100::1", 64)), ["route", "add", "2001:db8:100::/64", "via", "fe80::ff:fe00:c", "dev", "vsh12", "proto", "86"]);
    assert.deepEqual(hostRouteArgv("del", target, v6("fd00:1::5", 64)), ["route", "del", "fd00:1::5/128", "dev", "vsh12", "proto", "86"]);
    assert.deepEqual(hostRouteArgv("add", target, v4("10.1.0.5", 24)), ["route", "add", "10.1.0.5/32", "dev", "vsh12", "proto", "86", "scope", "link"]);
    const spec = parseAttachRequest({ name: "p", ctx: 12, netnsPath: "/run/netns/x", interfaces: [v6("2001:db8:100::1", 64)] }, "seed");
    assert.ok(hostUpLines(spec).includes(`route add 2001:db8:100::/64 via ${spec.linkLocal} dev vsh12 proto 86`));
  });

  it("the filter allows any source in the prefix (interval set); NA targets stay single addresses", () => {
    const sources = allowedSources([v6("2001:db8:100::1", 64), v6("fd00:1::5", 64), v4("10.1.0.5", 24)], "fe80::9");
    assert.deepEqual(sources, { addr4: ["10.1.0.5"], addr6: ["fe80::9", "2001:db8:100::/64", "fd00:1::5"] });
    assert.deepEqual(allowedSources([v6("2001:db8:100::1", 64)], "fe80::9", bridge).addr6, ["fe80::9", "2001:db8:100::1"]);
    const script = createTableScript({ table: "vs12", hostLink: "vsh12", mac: "02:00:00:00:00:0c", ...sources, shapeVia: null, comment: "vserver p" });
    assert.ok(script.includes("set addr6 { type ipv6_addr; flags interval; elements = { fe80::9, 2001:db8:100::/64, fd00:1::5 }; }"), script);
    assert.ok(script.includes("elements = { 0xfe800000000000000000000000000009, 0xfd000001000000000000000000000005 }"), script);
    assert.equal(sourceElement(routed, v6("2001:db8:100::1", 64)), "2001:db8:100::/64");
    assert.equal(
      changeSourcesScript("vs12", { add6: ["2001:db8:100::/64", "fe80::9"] }),
      "add element netdev vs12 addr6 { 2001:db8:100::/64, fe80::9 }\nadd element netdev vs12 nd6 { 0xfe800000000000000000000000000009 }\n",
    );
  });

  it("claims overlap when one holds an address of the other", () => {
    const prefix = claimOf(routed, v6("2001:db8:100::1", 64));
    assert.equal(prefix.text, "2001:db8:100::/64");
    assert.ok(claimsOverlap(prefix, claimOf(routed, v6("2001:db8:100::77", 128))));
    assert.ok(claimsOverlap(claimOf(routed, v6("2001:db8:100::77", 64)), prefix));
    assert.ok(!claimsOverlap(prefix, claimOf(routed, v6("2001:db8:101::1", 64))));
    assert.ok(!claimsOverlap(claimOf(routed, v6("fd00::2", 64)), claimOf(routed, v6("fd00::3", 64))), "a shared /64 of single addresses");
    assert.ok(!claimsOverlap(claimOf(routed, v4("10.0.0.2", 24)), claimOf(routed, v6("::ffff:a00:2", 128))));
  });

  it("a server's own address inside its routed prefix is refused", () => {
    assert.throws(() => checkOwnClaims(routed, [v6("2001:db8:100::1", 64)], [v6("2001:db8:100::5", 128)], () => "address"), /address: 2001:db8:100::5 is inside this server's routed prefix 2001:db8:100::\/64/);
    assert.doesNotThrow(() => checkOwnClaims(bridge, [v6("2001:db8:100::1", 64)], [v6("2001:db8:100::5", 64)], () => "address"));
  });
});
