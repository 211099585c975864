import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { guestLines, guestSysctls, hostCreateLines, hostLinkSysctls, hostUpLines } from "./ip-script";
import { allowedSources, changeSourcesScript, createTableScript, passChainScript } from "./nft-script";
import { parseAttachRequest } from "./spec";
import { changeLimitCommands, htbParams, limitCommands, unlimitCommands } from "./tc-script";

const routed = parseAttachRequest(
  {
    name: "web1",
    ctx: 12,
    netnsPath: "/run/netns/web1",
    interfaces: [
      { address: "10.213.0.2", prefix: 24 },
      { address: "fd00:213::2", prefix: 64 },
    ],
    rateBitsPerSec: { out: 10_000_000 },
    mac: "02:00:00:00:00:0c",
  },
  "seed",
);
const bridged = parseAttachRequest(
  { ...routed, name: "web2", ctx: 13, netnsPath: "/run/netns/web2", interfaces: [{ address: "10.214.0.5", prefix: 24 }], mode: { bridge: "br-pool", gateway4: "10.214.0.1" } },
  "seed",
);

describe("ip scripts", () => {
  it("routed: host side keeps next hops, stays down until the end, routes /32 and /128", () => {
    const create = hostCreateLines(routed);
    assert.equal(create[0], "link add vsh12 type veth peer name eth0 address 02:00:00:00:00:0c netns /run/netns/web1");
    assert.ok(create.includes("addr add 169.254.0.1/32 dev vsh12 scope link noprefixroute"));
    assert.ok(create.includes("addr add fe80::1/64 dev vsh12 nodad"));
    assert.ok(create.includes("link add vsi12 txqueuelen 1000 type ifb"));
    assert.ok(!create.some((l) => /vsh12 up/.test(l)));
    assert.deepEqual(hostUpLines(routed), [
      "link set dev vsh12 up",
      "route add 10.213.0.2/32 dev vsh12 proto 86 scope link",
      "route add fd00:213::2/128 dev vsh12 proto 86",
    ]);
  });

  it("routed guest: noprefixroute, link-local, default routes via the host's next hops", () => {
    const lines = guestLines(routed);
    assert.ok(lines.includes("addr add 10.213.0.2/24 dev eth0 noprefixroute"));
    assert.ok(lines.includes("addr add fd00:213::2/64 dev eth0 nodad noprefixroute"));
    assert.ok(lines.includes(`addr add ${routed.linkLocal}/64 dev eth0 nodad`));
    assert.ok(lines.indexOf("link set dev eth0 up") < lines.indexOf("route add 0.0.0.0/0 via 169.254.0.1 dev eth0 onlink"));
    assert.ok(lines.includes("route add ::/0 via fe80::1 dev eth0 onlink"));
  });

  it("bridge: port without addresses, guest keeps on-link prefixes, pool gateway, no host routes", () => {
    assert.ok(hostCreateLines(bridged).includes("link set dev vsh13 master br-pool"));
    assert.ok(!hostCreateLines(bridged).some((l) => l.startsWith("addr add")));
    assert.deepEqual(hostUpLines(bridged), ["link set dev vsh13 up"]);
    const lines = guestLines(bridged);
    assert.ok(lines.includes("addr add 10.214.0.5/24 dev eth0"));
    assert.ok(lines.includes("route add 0.0.0.0/0 via 10.214.0.1 dev eth0 onlink"));
    assert.ok(!lines.some((l) => l.startsWith("route add ::/0")));
  });

  it("sysctls: guest without DAD/RA; host side forwards but learns nothing from the guest", () => {
    const guest = new Map(guestSysctls());
    assert.equal(guest.get("net.ipv6.conf.eth0.accept_dad"), "0");
    assert.equal(guest.get("net.ipv6.conf.eth0.accept_ra"), "0");
    const host = new Map(hostLinkSysctls(routed, true));
    assert.equal(host.get("net.ipv4.conf.vsh12.forwarding"), "1");
    assert.equal(host.get("net.ipv6.conf.vsh12.force_forwarding"), "1");
    assert.equal(host.get("net.ipv6.conf.vsh12.accept_ra"), "0");
    assert.ok(!new Map(hostLinkSysctls(routed, false)).has("net.ipv6.conf.vsh12.force_forwarding"));
    assert.deepEqual(hostLinkSysctls(bridged, true), [["net.ipv6.conf.vsh13.disable_ipv6", "1"]]);
  });
});

describe("nft scripts", () => {
  it("link-local is allowed only while the server has IPv6", () => {
    assert.deepEqual(allowedSources(routed.addresses, "fe80::1:2"), { addr4: ["10.213.0.2"], addr6: ["fe80::1:2", "fd00:213::2"] });
    assert.deepEqual(allowedSources(bridged.addresses, "fe80::1:2"), { addr4: ["10.214.0.5"], addr6: [] });
  });

  it("builds one table bound to the host side, replacing leftovers", () => {
    const script = createTableScript({ table: "vs12", hostLink: "vsh12", mac: routed.mac, addr4: ["10.213.0.2"], addr6: ["fd00:213::2"], shapeVia: "vsi12", comment: "vserver web1" });
    const lines = script.split("\n");
    assert.deepEqual(lines.slice(0, 3), ["add table netdev vs12", "delete table netdev vs12", "table netdev vs12 {"]);
    assert.ok(script.includes(`type filter hook ingress device "vsh12" priority -500; policy drop;`));
    assert.ok(script.includes("elements = { 10.213.0.2 }"));
    assert.ok(script.includes("elements = { 0xfd000213000000000000000000000002 }"));
    assert.ok(script.includes(`ether saddr != 02:00:00:00:00:0c counter name "dropped" drop`));
    assert.ok(script.includes(`fwd to "vsi12"`));
    assert.ok(!/\bany\b|table (inet|ip|ip6|bridge)/.test(script), "touches no other family");
  });

  it("empty sets have no elements clause", () => {
    const script = createTableScript({ table: "vs2", hostLink: "vsh2", mac: "02:00:00:00:00:02", addr4: [], addr6: [], shapeVia: null, comment: "vserver x" });
    assert.ok(script.includes("set addr4 { type ipv4_addr; }"));
    assert.ok(script.includes("    accept\n"));
  });

  it("removals are written as add-then-delete so they never fail on a missing element", () => {
    assert.equal(
      changeSourcesScript("vs12", { remove6: ["fd00::5"] }),
      [
        "add element netdev vs12 addr6 { fd00::5 }",
        "add element netdev vs12 nd6 { 0xfd000000000000000000000000000005 }",
        "delete element netdev vs12 addr6 { fd00::5 }",
        "delete element netdev vs12 nd6 { 0xfd000000000000000000000000000005 }",
        "",
      ].join("\n"),
    );
    assert.equal(changeSourcesScript("vs12", {}), "");
    assert.equal(passChainScript("vs12", null), "flush chain netdev vs12 pass\nadd rule netdev vs12 pass accept\n");
  });
});

describe("tc scripts", () => {
  it("limits with one HTB class and a pfifo leaf", () => {
    const lines = limitCommands("vsh12", 100_000_000);
    assert.equal(lines[0], "qdisc replace dev vsh12 root handle 1: htb default 1");
    assert.match(lines[1]!, /^class add dev vsh12 parent 1: classid 1:1 htb rate 100000000bit ceil 100000000bit burst \d+ cburst \d+ quantum \d+$/);
    assert.equal(lines[2], "qdisc add dev vsh12 parent 1:1 handle 10: pfifo limit 1000");
    assert.match(changeLimitCommands("vsi12", 8_000)[0]!, /^class change dev vsi12 /);
    assert.deepEqual(unlimitCommands("vsh12"), ["qdisc del dev vsh12 root"]);
  });

  it("keeps HTB parameters in range", () => {
    for (const rate of [8_000, 1_000_000, 100_000_000, 10_000_000_000, 400_000_000_000]) {
      const { burst, quantum } = htbParams(rate);
      assert.ok(quantum >= 1514 && quantum <= 200_000, `quantum ${quantum} at ${rate}`);
      assert.ok(burst >= 16 * 1514, `burst ${burst} at ${rate}`);
    }
  });
});
