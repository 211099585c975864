/**
 * Routed vserver networking on the real kernel, as root. Namespaces made here stand in
 * for vservers: A (attacker, two addresses of each family), B (victim), R (receiver,
 * attached by pid like the engine does), N (no address). Traffic only between them and
 * the host side of their veths; the test subnets are unreachable on the host otherwise.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { hostPaths, type HostPaths } from "../../host-paths";
import { AgentFailure } from "../../errors";
import { attachVserverNetwork, type AttachedNetwork } from "./attach";
import { readDroppedCount, readVserverCounters } from "./counters";
import { detachVserverNetwork } from "./detach";
import { ensureHostNetwork, releaseHostNetwork } from "./host-network";
import { linkExists } from "./links";
import { addAddress, removeAddress } from "./live-addresses";
import { readServerState } from "./net-state";
import { Fixture, inNs, must, ping, pingFromHost, randomCtxBase, run } from "./testing/fixture";
import { hostSnapshot } from "./testing/host-snapshot";
import { udpExchange } from "./testing/probes";

const fx = new Fixture();
const base = randomCtxBase();
const ctx = { a: base, b: base + 1, r: base + 2, n: base + 3, bad: base + 4 };
let paths: HostPaths;
let snapshot: Record<string, string[]>;
const ns: Record<"a" | "b" | "r" | "n" | "bad", string> = { a: "", b: "", r: "", n: "", bad: "" };
let a: AttachedNetwork;

async function tagsAt(receiver: string, sender: string, items: { tag: string; src: string; dst: string }[]): Promise<string[]> {
  const got = await udpExchange(receiver, [{ ns: sender, items }]);
  return [...new Set(got.map((g) => g.tag))].sort();
}

describe("routed vserver network", () => {
  before(async () => {
    snapshot = await hostSnapshot();
    paths = hostPaths({ ...process.env, VSERVER_RUNDIR: await fx.runDir() });
    await fx.guardRoutes("10.213.0.0/24", "fd00:213::/64");
    ns.a = (await fx.netns("a")).path;
    ns.b = (await fx.netns("b")).path;
    ns.n = (await fx.netns("n")).path;
    ns.bad = (await fx.netns("bad")).path;
    const r = await fx.pidNetns();
    ns.r = r.path;
    fx.defer("release host", () => releaseHostNetwork({}, paths));
    await ensureHostNetwork({ forwarding: "devices" }, paths);
    for (const c of Object.values(ctx)) fx.defer(`detach ${c}`, () => detachVserverNetwork(c, paths));
    a = await attachVserverNetwork(
      {
        name: "vst-a",
        ctx: ctx.a,
        netnsPath: ns.a,
        interfaces: [
          { address: "10.213.0.2", prefix: 24 },
          { address: "10.213.0.22", prefix: 24 },
          { address: "fd00:213::2", prefix: 64 },
          { address: "fd00:213::22", prefix: 64 },
        ],
      },
      paths,
    );
    await attachVserverNetwork({ name: "vst-b", ctx: ctx.b, netnsPath: ns.b, interfaces: [{ address: "10.213.0.3", prefix: 24 }, { address: "fd00:213::3", prefix: 64 }] }, paths);
    await attachVserverNetwork({ name: "vst-r", ctx: ctx.r, netnsPid: r.pid, interfaces: [{ address: "10.213.0.4", prefix: 24 }, { address: "fd00:213::4", prefix: 64 }] }, paths);
    await attachVserverNetwork({ name: "vst-n", ctx: ctx.n, netnsPath: ns.n, interfaces: [] }, paths);
  });

  after(async () => {
    const failed = await fx.cleanup();
    assert.deepEqual(failed, [], "cleanup failed");
    for (const c of Object.values(ctx)) {
      assert.equal(await linkExists(`vsh${c}`), false, `vsh${c} left behind`);
      assert.equal(await linkExists(`vsi${c}`), false, `vsi${c} left behind`);
    }
    const tables = await must(["nft", "list", "tables"]);
    for (const c of Object.values(ctx)) assert.ok(!tables.includes(`vs${c}\n`), `table vs${c} left behind`);
    assert.ok(!(await must(["ip", "netns", "list"])).includes(fx.tag), "netns left behind");
    assert.deepEqual(await hostSnapshot(), snapshot, "host network state changed");
  });

  it("servers reach each other and the host by ping, IPv4 and IPv6, from every address", async () => {
    assert.ok(await ping(ns.a, "10.213.0.3"), "A -> B v4");
    assert.ok(await ping(ns.a, "fd00:213::3"), "A -> B v6");
    assert.ok(await ping(ns.b, "10.213.0.22"), "B -> A second v4");
    assert.ok(await ping(ns.b, "fd00:213::22"), "B -> A second v6");
    assert.ok(await ping(ns.a, "10.213.0.4", "10.213.0.22"), "A from its second v4 -> R");
    assert.ok(await ping(ns.a, "fd00:213::4", "fd00:213::22"), "A from its second v6 -> R");
    assert.ok(await ping(ns.r, "10.213.0.2"), "R (attached by pid) -> A");
    assert.ok(await ping(ns.a, "169.254.0.1"), "A -> host next hop v4");
    assert.ok(await ping(ns.a, "fe80::1%eth0"), "A -> host next hop v6");
    assert.ok(await pingFromHost("10.213.0.2"), "host -> A v4");
    assert.ok(await pingFromHost("fd00:213::3"), "host -> B v6");
  });

  it("the guest side is configured by the host: lo up, eth0 with the MAC, no DAD, default routes", async () => {
    const addr = await must(["nsenter", `--net=${ns.a}`, "--", "ip", "-o", "addr", "show"]);
    assert.match(addr, /lo\s+inet 127\.0\.0\.1\/8/);
    assert.match(addr, /eth0\s+inet 10\.213\.0\.2\/24 .*noprefixroute/);
    assert.match(addr, new RegExp(`eth0\\s+inet6 ${a.linkLocal}/64`));
    assert.ok(!/tentative/.test(addr), "no address waits for DAD");
    assert.match(await must(["nsenter", `--net=${ns.a}`, "--", "ip", "link", "show", "eth0"]), new RegExp(a.mac));
    assert.match(await must(["nsenter", `--net=${ns.a}`, "--", "ip", "route"]), /^default via 169\.254\.0\.1 dev eth0 onlink/m);
    assert.match(await must(["nsenter", `--net=${ns.a}`, "--", "ip", "-6", "route"]), /^default via fe80::1 dev eth0/m);
    assert.equal((await must(["nsenter", `--net=${ns.a}`, "--", "sysctl", "-n", "net.ipv6.conf.eth0.accept_ra"])).trim(), "0");
    const routes = await must(["ip", "route", "show", "dev", `vsh${ctx.a}`]);
    assert.match(routes, /^10\.213\.0\.2 proto 86 scope link/m);
    assert.match(routes, /^10\.213\.0\.22 proto 86 scope link/m);
  });

  it("a server sending from its neighbour's or an unassigned address reaches no one", async (t) => {
    // The attacker takes B's addresses and unassigned ones as root in its namespace.
    for (const cidr of ["10.213.0.3/32", "10.213.0.99/32", "fd00:213::3/128", "fd00:213::99/128"]) {
      await must(["nsenter", `--net=${ns.a}`, "--", "ip", "addr", "add", cidr, "dev", "eth0", ...(cidr.includes(":") ? ["nodad"] : [])]);
      t.after(() => run(["nsenter", `--net=${ns.a}`, "--", "ip", "addr", "del", cidr, "dev", "eth0"]));
    }
    const before = await readDroppedCount(ctx.a);
    const got = await tagsAt(ns.r, ns.a, [
      { tag: "own4", src: "10.213.0.2", dst: "10.213.0.4" },
      { tag: "own6", src: "fd00:213::2", dst: "fd00:213::4" },
      { tag: "neighbour4", src: "10.213.0.3", dst: "10.213.0.4" },
      { tag: "neighbour6", src: "fd00:213::3", dst: "fd00:213::4" },
      { tag: "unassigned4", src: "10.213.0.99", dst: "10.213.0.4" },
      { tag: "unassigned6", src: "fd00:213::99", dst: "fd00:213::4" },
    ]);
    assert.deepEqual(got, ["own4", "own6"]);
    assert.ok((await readDroppedCount(ctx.a)).packets - before.packets >= 12, "the table counted the forged packets");
    // ARP with a forged sender address gets no answer from the host; the real one does.
    assert.equal((await inNs(ns.a, ["arping", "-c", "2", "-w", "2", "-I", "eth0", "-s", "10.213.0.3", "169.254.0.1"])).code, 1);
    assert.equal((await inNs(ns.a, ["arping", "-c", "1", "-w", "2", "-I", "eth0", "-s", "10.213.0.2", "169.254.0.1"])).code, 0);
    assert.ok(!(await ping(ns.a, "169.254.0.1", "10.213.0.99")), "forged ping gets no reply");
  });

  it("a server without an address reaches no one, whatever it configures itself", async () => {
    await must(["nsenter", `--net=${ns.n}`, "--", "ip", "addr", "add", "10.213.0.50/24", "dev", "eth0"]);
    await must(["nsenter", `--net=${ns.n}`, "--", "ip", "addr", "add", "fd00:213::50/64", "dev", "eth0", "nodad"]);
    const got = await tagsAt(ns.r, ns.n, [
      { tag: "n4", src: "10.213.0.50", dst: "10.213.0.4" },
      { tag: "n6", src: "fd00:213::50", dst: "fd00:213::4" },
    ]);
    assert.deepEqual(got, []);
    assert.ok(!(await ping(ns.n, "169.254.0.1")), "no IPv4 to the host");
    assert.ok(!(await ping(ns.n, "fe80::1%eth0")), "not even IPv6 link-local to the host");
    assert.ok(!(await ping(ns.n, "10.213.0.4")), "no IPv4 to a neighbour");
  });

  it("addAddress works at once and removeAddress stops it", async (t) => {
    assert.deepEqual(
      (await addAddress(ctx.b, "10.213.0.12/24", paths)).map((x) => x.address),
      ["10.213.0.3", "fd00:213::3", "10.213.0.12"],
    );
    await addAddress("vst-b", { address: "fd00:213::12", prefix: 64 }, paths); // by name, like chbind
    assert.ok(await ping(ns.r, "10.213.0.12"), "new v4 reachable at once");
    assert.ok(await ping(ns.r, "fd00:213::12"), "new v6 reachable at once");
    assert.deepEqual(await tagsAt(ns.r, ns.b, [{ tag: "new4", src: "10.213.0.12", dst: "10.213.0.4" }]), ["new4"]);
    // Same address again: idempotent. Someone else's: CONFLICT naming the field.
    assert.equal((await addAddress(ctx.b, "10.213.0.12/24", paths)).length, 4);
    await assert.rejects(addAddress(ctx.b, "10.213.0.4/24", paths), (e: unknown) => e instanceof AgentFailure && e.code === "CONFLICT" && e.field === "address");
    await assert.rejects(addAddress(ctx.b, "10.213.0.300/24", paths), (e: unknown) => e instanceof AgentFailure && e.code === "BAD_REQUEST" && e.field === "address");

    await removeAddress(ctx.b, "10.213.0.12", paths);
    await removeAddress("vst-b", "fd00:213::12", paths);
    assert.ok(!(await ping(ns.r, "10.213.0.12")), "removed v4 unreachable at once");
    assert.ok(!(await ping(ns.r, "fd00:213::12")), "removed v6 unreachable at once");
    // The guest puts the address back itself: the filter no longer lets it out.
    await must(["nsenter", `--net=${ns.b}`, "--", "ip", "addr", "add", "10.213.0.12/32", "dev", "eth0"]);
    t.after(() => run(["nsenter", `--net=${ns.b}`, "--", "ip", "addr", "del", "10.213.0.12/32", "dev", "eth0"]));
    assert.deepEqual(await tagsAt(ns.r, ns.b, [{ tag: "old4", src: "10.213.0.12", dst: "10.213.0.4" }, { tag: "own4", src: "10.213.0.3", dst: "10.213.0.4" }]), ["own4"]);
    assert.deepEqual((await readServerState(ctx.b, paths))?.addresses.map((x) => x.address), ["10.213.0.3", "fd00:213::3"]);
    await assert.rejects(removeAddress(ctx.b, "10.213.0.12", paths), (e: unknown) => e instanceof AgentFailure && e.code === "NOT_FOUND");
    if (process.env.VST_NET_FORCE_FAIL) assert.fail("forced failure (VST_NET_FORCE_FAIL) to prove cleanup");
  });

  it("two servers racing for one address: exactly one gets it", async () => {
    const results = await Promise.allSettled([addAddress(ctx.b, "10.213.0.40/24", paths), addAddress(ctx.r, "10.213.0.40/24", paths)]);
    const won = results.findIndex((r) => r.status === "fulfilled");
    const lost = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
    assert.ok(won >= 0 && lost, JSON.stringify(results.map((r) => r.status)));
    assert.ok(lost.reason instanceof AgentFailure && lost.reason.code === "CONFLICT");
    await removeAddress(won === 0 ? ctx.b : ctx.r, "10.213.0.40", paths);
  });

  it("counts a server's traffic from the host side", async () => {
    const before = await readVserverCounters(ctx.r);
    const items = Array.from({ length: 20 }, (_, i) => ({ tag: `c${i}`.padEnd(1000, "x"), src: "10.213.0.4", dst: "10.213.0.2" }));
    const got = await udpExchange(ns.a, [{ ns: ns.r, items }]);
    const after = await readVserverCounters(ctx.r);
    assert.equal(got.length, 60, "all datagrams arrived");
    assert.ok(after.txPackets - before.txPackets >= 60, "tx packets");
    assert.ok(after.txBytes - before.txBytes >= 60 * 1000, "tx bytes");
    assert.ok(after.rxBytes >= before.rxBytes && after.rxPackets >= before.rxPackets);
  });

  it("refuses bad and conflicting requests before changing anything", async () => {
    const attempt = (over: Record<string, unknown>) =>
      attachVserverNetwork({ name: "vst-bad", ctx: ctx.bad, netnsPath: ns.bad, interfaces: [], ...over } as never, paths);
    const rejects = (p: Promise<unknown>, code: string, field: string) =>
      assert.rejects(p, (e: unknown) => e instanceof AgentFailure && e.code === code && e.field === field);
    await rejects(attempt({ interfaces: [{ address: "10.213.0.256", prefix: 24 }] }), "BAD_REQUEST", "interfaces[0].address");
    await rejects(attempt({ interfaces: [{ address: "10.213.0.9", prefix: 40 }] }), "BAD_REQUEST", "interfaces[0].prefix");
    await rejects(attempt({ interfaces: [{ address: "fd00:213::3", prefix: 64 }] }), "CONFLICT", "interfaces[0].address");
    await rejects(attempt({ ctx: ctx.a }), "CONFLICT", "ctx");
    await rejects(attempt({ mode: { bridge: "vstnosuchbr" } }), "BAD_REQUEST", "mode.bridge");
    await rejects(attempt({ netnsPath: "/run/netns/vst-does-not-exist" }), "BAD_REQUEST", "netnsPath");
    await rejects(attempt({ netnsPath: "/proc/self/ns/net" }), "BAD_REQUEST", "netnsPath");
    assert.equal(await linkExists(`vsh${ctx.bad}`), false);
    assert.equal(await readServerState(ctx.bad, paths), null);
  });

  it("detach removes veth, routes, table and state, and may be repeated", async () => {
    await detachVserverNetwork(ctx.a, paths);
    assert.equal(await linkExists(`vsh${ctx.a}`), false);
    assert.equal((await run(["nft", "list", "table", "netdev", `vs${ctx.a}`])).code, 1);
    assert.ok(!(await must(["ip", "route", "show", "proto", "86"])).includes("10.213.0.2 "));
    assert.ok(!(await must(["ip", "-6", "route", "show", "proto", "86"])).includes("fd00:213::2 "));
    assert.equal(await readServerState(ctx.a, paths), null);
    assert.ok(!(await must(["nsenter", `--net=${ns.a}`, "--", "ip", "link"])).includes("eth0"), "guest side gone");
    await detachVserverNetwork(ctx.a, paths);
    assert.ok(!(await ping(ns.b, "10.213.0.2")), "detached server unreachable");
    assert.ok(await ping(ns.b, "10.213.0.4"), "the others still work");
  });
});
