/**
 * Bandwidth limits on the real kernel: a TCP transfer between two test servers is capped
 * near the set rate in both directions (HTB on the host-side veth for traffic to the
 * server, HTB on its IFB for traffic from it), the limits change live, and shaping does
 * not open a hole in the anti-spoofing table.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { hostPaths, type HostPaths } from "../../host-paths";
import { attachVserverNetwork } from "./attach";
import { detachVserverNetwork } from "./detach";
import { ensureHostNetwork, releaseHostNetwork } from "./host-network";
import { linkExists } from "./links";
import { setVserverRate } from "./live-rate";
import { readServerState } from "./net-state";
import { Fixture, must, randomCtxBase, run } from "./testing/fixture";
import { hostSnapshot } from "./testing/host-snapshot";
import { measureThroughput, udpExchange } from "./testing/probes";

const fx = new Fixture();
const base = randomCtxBase();
const ctx = { s: base, t: base + 1 };
let paths: HostPaths;
let snapshot: Record<string, string[]>;
let nsS = "";
let nsT = "";
const S = "10.215.0.2";
const T = "10.215.0.3";

/** Within 20% of the limit; the measured value is reported as a test diagnostic. */
function assertNear(t: { diagnostic: (m: string) => void }, measured: number, rate: number, what: string): void {
  const text = `${what}: measured ${(measured / 1e6).toFixed(2)} Mbit/s for a ${rate / 1e6} Mbit/s limit`;
  t.diagnostic(text);
  const ratio = measured / rate;
  assert.ok(ratio > 0.8 && ratio < 1.2, text);
}

describe("bandwidth limits", () => {
  before(async () => {
    snapshot = await hostSnapshot();
    paths = hostPaths({ ...process.env, VSERVER_RUNDIR: await fx.runDir() });
    await fx.guardRoutes("10.215.0.0/24", "fd00:215::/64");
    nsS = (await fx.netns("s")).path;
    nsT = (await fx.netns("t")).path;
    fx.defer("release host", () => releaseHostNetwork({}, paths));
    await ensureHostNetwork({ forwarding: "devices" }, paths);
    for (const c of Object.values(ctx)) fx.defer(`detach ${c}`, () => detachVserverNetwork(c, paths));
    await attachVserverNetwork(
      { name: "vst-s", ctx: ctx.s, netnsPath: nsS, interfaces: [{ address: S, prefix: 24 }, { address: "fd00:215::2", prefix: 64 }], rateBitsPerSec: { in: 50e6, out: 100e6 } },
      paths,
    );
    await attachVserverNetwork({ name: "vst-t", ctx: ctx.t, netnsPath: nsT, interfaces: [{ address: T, prefix: 24 }] }, paths);
  });

  after(async () => {
    assert.deepEqual(await fx.cleanup(), [], "cleanup failed");
    for (const c of Object.values(ctx)) {
      assert.equal(await linkExists(`vsh${c}`), false);
      assert.equal(await linkExists(`vsi${c}`), false);
    }
    assert.deepEqual(await hostSnapshot(), snapshot, "host network state changed");
  });

  it("caps traffic from the server (IFB) and to it (veth) near the set rates", async (t) => {
    assertNear(t, await measureThroughput(nsS, nsT, T), 100e6, "from S (out = 100M)");
    assertNear(t, await measureThroughput(nsT, nsS, S), 50e6, "to S (in = 50M)");
  });

  it("changes both limits live", async (t) => {
    assert.deepEqual(await setVserverRate(ctx.s, { in: 8e6, out: 16e6 }, paths), { in: 8e6, out: 16e6 });
    assertNear(t, await measureThroughput(nsS, nsT, T), 16e6, "from S after change (out = 16M)");
    assertNear(t, await measureThroughput(nsT, nsS, S), 8e6, "to S after change (in = 8M)");
    assert.deepEqual((await readServerState(ctx.s, paths))?.rate, { in: 8e6, out: 16e6 });
  });

  it("shaping keeps the anti-spoofing table in front (no bypass through the IFB)", async (t) => {
    await must(["nsenter", `--net=${nsS}`, "--", "ip", "addr", "add", "10.215.0.99/32", "dev", "eth0"]);
    t.after(() => run(["nsenter", `--net=${nsS}`, "--", "ip", "addr", "del", "10.215.0.99/32", "dev", "eth0"]));
    const got = await udpExchange(nsT, [
      {
        ns: nsS,
        items: [
          { tag: "own", src: S, dst: T },
          { tag: "forged", src: "10.215.0.99", dst: T },
        ],
      },
    ]);
    assert.deepEqual([...new Set(got.map((g) => g.tag))], ["own"]);
  });

  it("removes limits live: no HTB, no IFB, traffic passes unshaped", async (t) => {
    await setVserverRate(ctx.s, { in: null, out: null }, paths);
    assert.equal(await linkExists(`vsi${ctx.s}`), false, "IFB removed");
    assert.ok(!(await must(["tc", "qdisc", "show", "dev", `vsh${ctx.s}`])).includes("htb"), "HTB removed");
    assert.match(await must(["nft", "list", "chain", "netdev", `vs${ctx.s}`, "pass"]), /^\s+accept$/m);
    const got = await udpExchange(nsT, [{ ns: nsS, items: [{ tag: "own", src: S, dst: T }] }]);
    assert.deepEqual([...new Set(got.map((g) => g.tag))], ["own"]);
    // And back on, from nothing: the IFB is made again and fed by the table.
    await setVserverRate(ctx.s, { out: 10e6 }, paths);
    assert.equal(await linkExists(`vsi${ctx.s}`), true);
    if (process.env.VST_NET_FORCE_FAIL) assert.fail("forced failure (VST_NET_FORCE_FAIL) to prove cleanup");
    assertNear(t, await measureThroughput(nsS, nsT, T), 10e6, "from S after re-adding (out = 10M)");
  });
});
