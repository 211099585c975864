/**
 * Bridge mode on the real kernel: two test servers on a bridge this test has
 * ensureHostNetwork create (with the pool gateways on it) reach each other and the
 * gateway; ARP and neighbour-advertisement poisoning from a server is dropped, while the
 * same frames from an unfiltered port (the control) do poison the host's neighbour table;
 * a server that changes its MAC is cut off.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { hostPaths, type HostPaths } from "../../host-paths";
import { attachVserverNetwork, type AttachedNetwork } from "./attach";
import { detachVserverNetwork } from "./detach";
import { ensureHostNetwork, releaseHostNetwork } from "./host-network";
import { isBridge, linkExists } from "./links";
import { Fixture, must, ping, pingFromHost, randomCtxBase, sleep } from "./testing/fixture";
import { arpReply, neighbourAdvert, sendFrame } from "./testing/frames";
import { hostSnapshot } from "./testing/host-snapshot";

const fx = new Fixture();
const base = randomCtxBase();
const ctx = { p: base, q: base + 1 };
const bridge = `${fx.tag}br`;
const rogueLink = `${fx.tag}rg`;
const rogueMac = "02:00:00:00:0e:ee";
let paths: HostPaths;
let snapshot: Record<string, string[]>;
let nsP = "";
let nsQ = "";
let nsRogue = "";
let p: AttachedNetwork;
let q: AttachedNetwork;

async function neighbourMac(address: string): Promise<string | null> {
  const family = address.includes(":") ? "-6" : "-4";
  const out = await must(["ip", family, "neigh", "show", address, "dev", bridge]);
  return /lladdr ([0-9a-f:]{17})/.exec(out)?.[1] ?? null;
}

async function bridgeMac(): Promise<string> {
  return (await must(["cat", `/sys/class/net/${bridge}/address`])).trim();
}

describe("bridge mode", () => {
  before(async () => {
    snapshot = await hostSnapshot();
    paths = hostPaths({ ...process.env, VSERVER_RUNDIR: await fx.runDir() });
    nsP = (await fx.netns("p")).path;
    nsQ = (await fx.netns("q")).path;
    nsRogue = (await fx.netns("rogue")).path;
    fx.defer("release host", async () => {
      const report = await releaseHostNetwork({}, paths);
      assert.deepEqual(report.removedBridges, [bridge]);
    });
    const report = await ensureHostNetwork(
      { forwarding: "devices", bridges: [{ name: bridge, addresses: [{ address: "10.214.0.1", prefix: 24 }, { address: "fd00:214::1", prefix: 64 }] }] },
      paths,
    );
    assert.deepEqual(report.createdBridges, [bridge]);
    for (const c of Object.values(ctx)) fx.defer(`detach ${c}`, () => detachVserverNetwork(c, paths));
    const mode = { bridge, gateway4: "10.214.0.1", gateway6: "fd00:214::1" };
    p = await attachVserverNetwork({ name: "vst-p", ctx: ctx.p, netnsPath: nsP, mode, interfaces: [{ address: "10.214.0.2", prefix: 24 }, { address: "fd00:214::2", prefix: 64 }] }, paths);
    q = await attachVserverNetwork({ name: "vst-q", ctx: ctx.q, netnsPath: nsQ, mode, interfaces: [{ address: "10.214.0.3", prefix: 24 }, { address: "fd00:214::3", prefix: 64 }] }, paths);
    // The control: a plain bridge port without any filter.
    await must(["ip", "link", "add", rogueLink, "master", bridge, "type", "veth", "peer", "name", "eth0", "address", rogueMac, "netns", nsRogue]);
    fx.defer(`link ${rogueLink}`, () => must(["ip", "link", "del", rogueLink]));
    await must(["ip", "link", "set", rogueLink, "up"]);
    await must(["nsenter", `--net=${nsRogue}`, "--", "ip", "link", "set", "eth0", "up"]);
  });

  after(async () => {
    assert.deepEqual(await fx.cleanup(), [], "cleanup failed");
    assert.equal(await linkExists(bridge), false, "bridge removed by releaseHostNetwork");
    for (const c of Object.values(ctx)) assert.equal(await linkExists(`vsh${c}`), false);
    assert.deepEqual(await hostSnapshot(), snapshot, "host network state changed");
  });

  it("ensureHostNetwork made the bridge with the gateways; ports carry no address", async () => {
    assert.ok(await isBridge(bridge));
    assert.match(await must(["ip", "-o", "addr", "show", "dev", bridge]), /inet 10\.214\.0\.1\/24/);
    assert.match(await must(["ip", "link", "show", `vsh${ctx.p}`]), new RegExp(`master ${bridge}`));
    assert.ok(!(await must(["ip", "-o", "addr", "show", "dev", `vsh${ctx.p}`])).includes("inet"));
    assert.deepEqual((await ensureHostNetwork({ forwarding: "devices", bridges: [{ name: bridge }] }, paths)).createdBridges, []);
  });

  it("servers reach each other and the gateway, IPv4 and IPv6", async () => {
    assert.ok(await ping(nsP, "10.214.0.3"), "P -> Q v4");
    assert.ok(await ping(nsQ, "fd00:214::2"), "Q -> P v6");
    assert.ok(await ping(nsP, "10.214.0.1"), "P -> gateway v4");
    assert.ok(await ping(nsP, "fd00:214::1"), "P -> gateway v6");
    assert.ok(await ping(nsP, `${q.linkLocal}%eth0`), "P -> Q link-local");
    assert.ok(await pingFromHost("10.214.0.2"), "host -> P");
    assert.match(await must(["nsenter", `--net=${nsP}`, "--", "ip", "route"]), /^default via 10\.214\.0\.1 dev eth0 onlink/m);
  });

  it("ARP poisoning from a server is dropped; the same frame from an unfiltered port is not", async () => {
    assert.ok(await pingFromHost("10.214.0.3"));
    assert.equal(await neighbourMac("10.214.0.3"), q.mac);
    await sleep(1200); // past the ARP locktime, so a reply may replace the entry
    const gwMac = await bridgeMac();
    assert.equal((await sendFrame(nsP, "eth0", arpReply(p.mac, "10.214.0.3", gwMac, "10.214.0.1"))).code, 0);
    await sleep(200);
    assert.equal(await neighbourMac("10.214.0.3"), q.mac, "server P could not take Q's IPv4 address");
    assert.equal((await sendFrame(nsRogue, "eth0", arpReply(rogueMac, "10.214.0.3", gwMac, "10.214.0.1"))).code, 0);
    await sleep(200);
    assert.equal(await neighbourMac("10.214.0.3"), rogueMac, "control: the unfiltered frame does poison");
    await must(["ip", "neigh", "flush", "dev", bridge]);
  });

  it("neighbour-advertisement poisoning from a server is dropped; the control poisons", async () => {
    assert.ok(await pingFromHost("fd00:214::3"));
    assert.equal(await neighbourMac("fd00:214::3"), q.mac);
    // From P's own, allowed link-local source, claiming Q's address.
    assert.equal((await sendFrame(nsP, "eth0", neighbourAdvert(p.mac, p.linkLocal, "fd00:214::3", p.mac))).code, 0);
    await sleep(200);
    assert.equal(await neighbourMac("fd00:214::3"), q.mac, "server P could not take Q's IPv6 address");
    assert.equal((await sendFrame(nsRogue, "eth0", neighbourAdvert(rogueMac, "fe80::ee", "fd00:214::3", rogueMac))).code, 0);
    await sleep(200);
    assert.equal(await neighbourMac("fd00:214::3"), rogueMac, "control: the unfiltered advertisement does poison");
    await must(["ip", "neigh", "flush", "dev", bridge]);
  });

  it("a server that changes its MAC is cut off until it changes it back", async () => {
    await must(["nsenter", `--net=${nsP}`, "--", "ip", "link", "set", "eth0", "address", "02:00:00:00:0b:ad"]);
    try {
      assert.ok(!(await ping(nsP, "10.214.0.1")), "foreign MAC: no traffic");
    } finally {
      await must(["nsenter", `--net=${nsP}`, "--", "ip", "link", "set", "eth0", "address", p.mac]);
    }
    assert.ok(await ping(nsP, "10.214.0.1"), "own MAC again: traffic passes");
    if (process.env.VST_NET_FORCE_FAIL) assert.fail("forced failure (VST_NET_FORCE_FAIL) to prove cleanup");
  });
});
