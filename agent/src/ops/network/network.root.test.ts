/**
 * Issue 5 in routed mode (the default), through the product (CLI `vserver … build
 * --interface`, `ip add|del`, `vlimit --net-rate`, `vattribute`, and the agent API) with
 * busybox servers on the real kernel. Traffic only goes between the test's servers and
 * the host side of their links; the test subnets are unreachable on the host besides.
 * Shown: servers in one subnet reach each other and the host (IPv4, IPv6); live address
 * changes work at once; a server without an address reaches no one (until its first
 * `ip add`, which attaches it live); a neighbour's address taken with CAP_NET_ADMIN, or a
 * forged source, reaches no one; --net-rate caps a transfer; a routed /64 (`P::1/64`) is
 * routed and allowed whole; stopping removes the veth, table and routes; the host setup
 * exists while servers run and is gone after the last; the host's routes and firewall
 * rules outside the agent's own end as they began.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { readDroppedCount } from "../../kernel/net";
import { Fixture, must } from "../../kernel/net/testing/fixture";
import { hostSnapshot } from "../../kernel/net/testing/host-snapshot";
import { buildBundle, makeTempHost, type TempHost } from "../testing/temp-host";
import { cli, copyIntoGuest, guestSh, startAgentDaemon, type TestDaemon } from "../limits/testing/cli-host";
import { datagramsArriving, goodput, pings } from "./testing/guest-traffic";
import { buildNetProbe } from "./testing/net-probe";

let host: TempHost;
let daemon: TestDaemon;
let probe = "";
let snapshot: Record<string, string[]>;
const fx = new Fixture();

const A4 = "10.233.1.2", A6 = "fd33:1::2";
const B4 = "10.233.1.3", B6 = "fd33:1::3";
const D4 = "10.233.1.5", D6 = "fd33:1::5";

function ctxOf(name: string): number {
  return Number(fs.readFileSync(path.join(host.paths.confDir, name, "context"), "utf8"));
}

function sh(argv: string[]): string {
  return execFileSync(argv[0]!, argv.slice(1), { encoding: "utf8" });
}

/** Builds and starts a busybox server with the probe inside. */
function serve(name: string, build: string[], caps: string[] = []): void {
  const b = cli(host, "vserver", [name, "build", "-m", "busybox", "--no-boot", ...build]);
  assert.equal(b.code, 0, b.err);
  copyIntoGuest(host, name, "/bin/net-probe", probe);
  for (const cap of caps) assert.equal(cli(host, "vattribute", [name, "--set", "--bcap", cap]).code, 0);
  const s = cli(host, "vserver", [name, "start"]);
  assert.equal(s.code, 0, s.err);
}

function assertNear(t: { diagnostic: (m: string) => void }, measured: number, rate: number, what: string): void {
  const text = `${what}: ${(measured / 1e6).toFixed(2)} Mbit/s for a ${rate / 1e6} Mbit/s limit`;
  t.diagnostic(text);
  assert.ok(Math.abs(measured / rate - 1) <= 0.2, text);
}

describe("vserver networking, routed (busybox servers, CLI and API, real kernel)", () => {
  before(async () => {
    snapshot = await hostSnapshot();
    buildBundle();
    host = makeTempHost();
    await fx.guardRoutes("10.233.0.0/16", "fd33::/16", "2001:db8:33::/48");
    probe = buildNetProbe(host.base);
    daemon = await startAgentDaemon(host);
  });
  after(async () => {
    await daemon?.stop();
    await host.cleanup();
    assert.deepEqual(await fx.cleanup(), []);
    assert.deepEqual(await hostSnapshot(), snapshot, "the host's routes, addresses, firewall rules and forwarding are as before");
  });

  it("two servers in one subnet reach each other and the host, IPv4 and IPv6; the host setup exists while they run", () => {
    serve("a", ["--interface", `${A4}/24`, "--interface", `${A6}/64`]);
    serve("b", ["--interface", `${B4}/24`, "--interface", `${B6}/64`]);
    assert.match(guestSh(host, "a", "ip -o addr show eth0").out, /inet 10\.233\.1\.2\/24[\s\S]*inet6 fd33:1::2\/64/);
    for (const [from, to] of [["a", B4], ["a", B6], ["b", A4], ["b", A6], ["a", "169.254.0.1"], ["b", "fe80::1%eth0"]] as const) {
      assert.ok(pings(host, from, to), `${from} → ${to}`);
    }
    for (const to of [A4, A6, B4, B6]) assert.ok(sh(["ping", "-n", "-c", "1", "-W", "2", to]).includes("1 received"), `host → ${to}`);
    assert.ok(fs.existsSync(path.join(host.paths.runDir, "net/host.json")), "ensureHostNetwork ran");
  });

  it("ip add works at once and ip del stops it (CLI and API)", async () => {
    assert.ok(!pings(host, "b", "10.233.1.12", 1));
    const add = cli(host, "vserver", ["a", "ip", "add", "10.233.1.12/24"]);
    assert.equal(add.code, 0, add.err);
    assert.equal(add.err, "", "live, no 'next start' note");
    assert.ok(pings(host, "b", "10.233.1.12"), "added address answers at once");
    assert.equal(cli(host, "vserver", ["a", "ip", "del", "10.233.1.12/24"]).code, 0);
    assert.ok(!pings(host, "b", "10.233.1.12", 1), "deleted address is gone");
    const r = await daemon.client.addAddress({ name: "a", address: { address: "fd33:1::12", prefix: 64 } });
    assert.ok(r.interfaces.some((i) => i.address === "fd33:1::12"));
    assert.ok(pings(host, "b", "fd33:1::12"));
    await daemon.client.removeAddress({ name: "a", address: { address: "fd33:1::12", prefix: 64 } });
    assert.ok(!pings(host, "b", "fd33:1::12", 1));
    assert.equal(cli(host, "vserver", ["b", "ip", "add", `${A4}/24`]).code, 6, "another server's address is a CONFLICT");
  });

  it("a server without an address reaches no one; its first ip add attaches it live, and removing it cuts it off again", () => {
    serve("c", []);
    assert.deepEqual(guestSh(host, "c", "ls /sys/class/net").out.split(/\s+/).filter(Boolean), ["lo"]);
    assert.ok(!pings(host, "c", A4, 1));
    assert.ok(!pings(host, "c", A6, 1));
    const add = cli(host, "vserver", ["c", "ip", "add", "10.233.1.4/24"]);
    assert.equal(add.code, 0, add.err);
    assert.ok(pings(host, "c", A4), "reaches its neighbour at once");
    assert.ok(pings(host, "a", "10.233.1.4"));
    assert.equal(cli(host, "vserver", ["c", "ip", "del", "10.233.1.4/24"]).code, 0);
    assert.ok(!pings(host, "c", A4, 1), "no address: reaches no one");
    assert.ok(!pings(host, "a", "10.233.1.4", 1));
  });

  it("a neighbour's address taken with CAP_NET_ADMIN, or a forged source, reaches no one", async () => {
    serve("d", ["--interface", `${D4}/24`, "--interface", `${D6}/64`], ["CAP_NET_ADMIN"]);
    const take = guestSh(host, "d", `ip addr add ${B4}/32 dev eth0 && ip addr add ${B6}/128 dev eth0 && echo taken`);
    assert.equal(take.out.trim(), "taken", `the attempt is real (CAP_NET_ADMIN inside): ${take.err}`);
    const droppedBefore = (await readDroppedCount(ctxOf("d"))).packets;
    // Its own sources first: a frame from a taken address makes the guest resolve its
    // gateway with that sender address, which the filter drops too, and the guest's
    // neighbour entry would then stall even its honest traffic for a while.
    const got4 = await datagramsArriving(host, "a", A4, [
      { via: "d", how: "send", src: D4, tag: "own4" },
      { via: "d", how: "spoof", src: D4, tag: "ownraw4" },
      { via: "d", how: "send", src: B4, tag: "taken4" },
      { via: "d", how: "spoof", src: B4, tag: "forged4" },
      { via: "d", how: "spoof", src: "10.233.1.99", tag: "unassigned4" },
      { via: "b", how: "spoof", src: D4, tag: "forgedbyb4" },
    ]);
    assert.deepEqual(got4.sort(), [`${D4} own4`, `${D4} ownraw4`], "only its own source arrives (the raw path itself works)");
    const got6 = await datagramsArriving(host, "a", A6, [
      { via: "d", how: "send", src: D6, tag: "own6" },
      { via: "d", how: "spoof", src: D6, tag: "ownraw6" },
      { via: "d", how: "send", src: B6, tag: "taken6" },
      { via: "d", how: "spoof", src: B6, tag: "forged6" },
      { via: "b", how: "spoof", src: D6, tag: "forgedbyb6" },
    ]);
    assert.deepEqual(got6.sort(), [`${D6} own6`, `${D6} ownraw6`]);
    assert.ok(!pings(host, "d", `-I ${B4} ${A4}`, 1), "ping from the neighbour's IPv4");
    assert.ok(!pings(host, "d", `-I ${B6} ${A6}`, 1), "ping from the neighbour's IPv6");
    assert.ok((await readDroppedCount(ctxOf("d"))).packets >= droppedBefore + 4, "the filter counted the drops");
    assert.ok(pings(host, "a", B4), "b's address still reaches b");
  });

  it("--net-rate caps a transfer between two servers near the set rate, both ways, changed live", async (t) => {
    const alive = (name: string) => {
      if (cli(host, "vserver", [name, "status"]).code === 0) return;
      const dir = path.join(host.paths.runDir, "servers", name);
      const dump = fs.existsSync(dir) ? fs.readdirSync(dir).map((f) => `${f}: ${fs.readFileSync(path.join(dir, f), "utf8")}`).join("\n") : "no run dir";
      assert.fail(`${name} is not running:\n${dump}`);
    };
    t.after(() => ["a", "b"].forEach(alive));
    assert.equal(cli(host, "vlimit", ["a", "--net-rate", "40M"]).code, 0);
    // Goodput counts TCP payload: ~4.5% under the shaped line rate with 1500-byte frames.
    assertNear(t, await goodput(host, "a", "b", B4), 40e6, "from a (out)");
    alive("b");
    assertNear(t, await goodput(host, "b", "a", A4), 40e6, "to a (in)");
    assert.equal(cli(host, "vlimit", ["a", "--net-rate", "15M"]).code, 0);
    assertNear(t, await goodput(host, "a", "b", B6), 15e6, "from a after a live change, IPv6");
    assert.equal(cli(host, "vlimit", ["a", "--net-rate", "unlimited"]).code, 0);
    assert.ok((await goodput(host, "a", "b", B4)) > 100e6, "unlimited again");
  });

  it("a routed /64 (P::1/64) is routed whole to the server and any source inside it passes; nothing outside it does", async () => {
    serve("g", ["--interface", "2001:db8:33:1::1/64", "--interface", "10.233.1.7/32"], ["CAP_NET_ADMIN"]);
    const ctx = ctxOf("g");
    const route = sh(["ip", "-6", "route", "show", "2001:db8:33:1::/64"]);
    assert.match(route, new RegExp(`^2001:db8:33:1::/64 via fe80::\\S+ dev vsh${ctx} proto 86 `, "m"));
    assert.ok(pings(host, "a", "2001:db8:33:1::1"));
    assert.equal(guestSh(host, "g", "ip addr add 2001:db8:33:1::99/128 dev eth0 && ip addr add 2001:db8:33:1:ff::7/128 dev eth0").code, 0);
    assert.ok(pings(host, "a", "2001:db8:33:1::99"), "another address of the /64 is reached through the prefix route");
    assert.ok(pings(host, "a", "2001:db8:33:1:ff::7"));
    const got = await datagramsArriving(host, "a", A6, [
      { via: "g", how: "send", src: "2001:db8:33:1::99", tag: "inside" },
      { via: "g", how: "spoof", src: "2001:db8:33:1:abcd::1", tag: "insideraw" },
      { via: "g", how: "spoof", src: "2001:db8:33:2::1", tag: "outside" },
      { via: "g", how: "spoof", src: B6, tag: "neighbour" },
    ]);
    assert.deepEqual(got.sort(), ["2001:db8:33:1::99 inside", "2001:db8:33:1:abcd::1 insideraw"]);
    const taken = cli(host, "vserver", ["a", "ip", "add", "2001:db8:33:1::5/128"]);
    assert.equal(taken.code, 6, taken.err);
    assert.match(taken.err, /inside the routed prefix 2001:db8:33:1::\/64 of vserver "g"/);
  });

  it("a start whose link names another agent holds fails with the reason and leaves that agent's link alone", async () => {
    // Link names are host-wide (vsh<ctx>): another agent on the host (or a test run killed
    // with its servers running) may hold them. The failed start's undo must not take them.
    const ctx = 30000 + Math.floor(Math.random() * 10000);
    const b = cli(host, "vserver", ["z", "build", "-m", "busybox", "--no-boot", "--context", String(ctx), "--interface", "10.233.9.2/24"]);
    assert.equal(b.code, 0, b.err);
    await must(["ip", "link", "add", `vsh${ctx}`, "type", "veth", "peer", "name", `vstz${ctx}`]);
    fx.defer(`veth vsh${ctx}`, () => must(["ip", "link", "del", `vsh${ctx}`]));
    const s = cli(host, "vserver", ["z", "start"]);
    assert.notEqual(s.code, 0);
    assert.match(s.err, new RegExp(`vsh${ctx} or vsi${ctx} exists without a state file`));
    assert.match(sh(["ip", "-o", "link", "show", `vsh${ctx}`]), new RegExp(`vsh${ctx}@vstz${ctx}`), "the other agent's link is still there");
    assert.match(cli(host, "vserver", ["z", "status"]).out, /stopped/);
    assert.equal(fs.existsSync(path.join(host.paths.runDir, "net", `vs${ctx}.json`)), false);
    assert.doesNotMatch(sh(["nft", "list", "tables"]), new RegExp(`vs${ctx}$`, "m"));
  });

  it("stopping a server removes its veth, table and routes; the host setup goes with the last server", () => {
    const ctx = ctxOf("a");
    assert.match(sh(["ip", "-o", "link", "show", `vsh${ctx}`]), new RegExp(`vsh${ctx}`));
    assert.match(sh(["nft", "list", "tables"]), new RegExp(`^table netdev vs${ctx}$`, "m"));
    assert.match(sh(["ip", "route", "show", "proto", "86"]), new RegExp(`^${A4.replace(/\./g, "\\.")} dev vsh${ctx} `, "m"));
    assert.equal(cli(host, "vserver", ["a", "stop", "--timeout", "0"]).code, 0);
    assert.throws(() => execFileSync("ip", ["link", "show", `vsh${ctx}`], { stdio: "pipe" }));
    assert.doesNotMatch(sh(["nft", "list", "tables"]), new RegExp(`vs${ctx}$`, "m"));
    assert.doesNotMatch(sh(["ip", "route", "show", "proto", "86"]), new RegExp(`vsh${ctx} `));
    assert.doesNotMatch(sh(["ip", "-6", "route", "show", "proto", "86"]), new RegExp(`vsh${ctx} `));
    assert.ok(pings(host, "b", "10.233.1.7"), "the others keep working");
    assert.ok(fs.existsSync(path.join(host.paths.runDir, "net/host.json")));
    for (const name of ["b", "c", "d", "g"]) assert.equal(cli(host, "vserver", [name, "stop", "--timeout", "0"]).code, 0);
    assert.equal(fs.existsSync(path.join(host.paths.runDir, "net/host.json")), false, "releaseHostNetwork ran after the last");
    assert.deepEqual(fs.readdirSync(path.join(host.paths.runDir, "net")), []);
  });
});
