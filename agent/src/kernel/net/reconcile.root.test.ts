/**
 * Failures and leftovers on the real kernel: an attach that fails at its last step leaves
 * nothing; a server whose namespace died leaves an IFB, a table and a state file that
 * cleanOrphans finds and removes; a running server and resources of unknown owners are
 * left alone (also by a plain detach of their ctx); a leftover table of a crashed agent
 * does not block a new attach.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { hostPaths, type HostPaths } from "../../host-paths";
import { AgentFailure } from "../../errors";
import { attachVserverNetwork } from "./attach";
import { detachVserverNetwork } from "./detach";
import { ensureHostNetwork, releaseHostNetwork } from "./host-network";
import { linkExists } from "./links";
import { readServerState } from "./net-state";
import { cleanOrphans, listNetworkResources } from "./reconcile";
import { Fixture, must, ping, randomCtxBase, run, sleep } from "./testing/fixture";
import { hostSnapshot } from "./testing/host-snapshot";

const fx = new Fixture();
const base = randomCtxBase();
const ctx = { dead: base, alive: base + 1, unknown: base + 2, failed: base + 3, leftover: base + 4 };
const mine = (c: number) => Object.values(ctx).includes(c);
let paths: HostPaths;
let snapshot: Record<string, string[]>;

async function tableExists(c: number): Promise<boolean> {
  return (await run(["nft", "list", "table", "netdev", `vs${c}`])).code === 0;
}

describe("failures and leftovers", () => {
  before(async () => {
    snapshot = await hostSnapshot();
    paths = hostPaths({ ...process.env, VSERVER_RUNDIR: await fx.runDir() });
    await fx.guardRoutes("10.216.0.0/24", "fd00:216::/64");
    fx.defer("release host", () => releaseHostNetwork({}, paths));
    await ensureHostNetwork({ forwarding: "devices" }, paths);
    for (const c of Object.values(ctx)) fx.defer(`detach ${c}`, () => detachVserverNetwork(c, paths));
  });

  after(async () => {
    assert.deepEqual(await fx.cleanup(), [], "cleanup failed");
    for (const c of Object.values(ctx)) {
      assert.equal(await linkExists(`vsh${c}`), false);
      assert.equal(await linkExists(`vsi${c}`), false);
      assert.equal(await tableExists(c), false);
    }
    assert.deepEqual(await hostSnapshot(), snapshot, "host network state changed");
  });

  it("an attach that fails at its last step leaves nothing behind", async () => {
    // A host route the attach cannot add: it fails after veth, IFB, table, tc and guest setup.
    await must(["ip", "route", "add", "blackhole", "10.216.0.77/32"]);
    fx.defer("blackhole", () => must(["ip", "route", "del", "blackhole", "10.216.0.77/32"]));
    const guest = await fx.netns("failed");
    await assert.rejects(
      attachVserverNetwork(
        { name: "vst-failed", ctx: ctx.failed, netnsPath: guest.path, interfaces: [{ address: "10.216.0.77", prefix: 24 }], rateBitsPerSec: { in: 1e6, out: 1e6 } },
        paths,
      ),
      (e: unknown) => e instanceof AgentFailure && e.code === "KERNEL" && /File exists/.test(e.message),
    );
    assert.equal(await linkExists(`vsh${ctx.failed}`), false, "veth removed");
    assert.equal(await linkExists(`vsi${ctx.failed}`), false, "IFB removed");
    assert.equal(await tableExists(ctx.failed), false, "table removed");
    assert.equal(await readServerState(ctx.failed, paths), null, "state removed");
    assert.ok(!(await must(["nsenter", `--net=${guest.path}`, "--", "ip", "link"])).includes("eth0"), "guest side removed");
  });

  it("finds a dead server's IFB, table and state and cleans them; a running server stays", async () => {
    const dead = await fx.pidNetns();
    const alive = await fx.pidNetns();
    await attachVserverNetwork({ name: "vst-dead", ctx: ctx.dead, netnsPid: dead.pid, interfaces: [{ address: "10.216.0.2", prefix: 24 }], rateBitsPerSec: { out: 1e6 } }, paths);
    await attachVserverNetwork({ name: "vst-alive", ctx: ctx.alive, netnsPid: alive.pid, interfaces: [{ address: "10.216.0.3", prefix: 24 }] }, paths);
    await dead.kill();
    // The namespace goes away asynchronously and takes the veth pair with it.
    for (let i = 0; i < 100 && (await linkExists(`vsh${ctx.dead}`)); i++) await sleep(50);
    const found = (await listNetworkResources(paths)).find((r) => r.ctx === ctx.dead);
    assert.deepEqual({ ...found, state: found?.state?.name }, { ctx: ctx.dead, hostLink: false, ifb: true, table: true, state: "vst-dead" });

    assert.deepEqual(await cleanOrphans({ ctxFilter: mine }, paths), [ctx.dead]);
    assert.equal(await linkExists(`vsi${ctx.dead}`), false);
    assert.equal(await tableExists(ctx.dead), false);
    assert.equal(await readServerState(ctx.dead, paths), null);
    assert.ok(await ping(alive.path, "169.254.0.1"), "the running server still works");
    assert.ok(await readServerState(ctx.alive, paths));
    if (process.env.VST_NET_FORCE_FAIL) assert.fail("forced failure (VST_NET_FORCE_FAIL) to prove cleanup");
  });

  it("leaves resources without a state file alone unless asked", async () => {
    await must(["ip", "link", "add", `vsi${ctx.unknown}`, "type", "ifb"]);
    fx.defer("unknown ifb", () => run(["ip", "link", "del", `vsi${ctx.unknown}`]));
    assert.deepEqual(await cleanOrphans({ ctxFilter: mine }, paths), []);
    // The undo of a start that failed on these names calls detach: it must not take them.
    await detachVserverNetwork(ctx.unknown, paths);
    assert.equal(await linkExists(`vsi${ctx.unknown}`), true, "detach leaves another agent's link alone");
    assert.deepEqual(await cleanOrphans({ ctxFilter: (c) => c === ctx.unknown, includeUnknown: true }, paths), [ctx.unknown]);
    assert.equal(await linkExists(`vsi${ctx.unknown}`), false);
  });

  it("a leftover table of a crashed agent does not block a new attach", async () => {
    await must(["nft", "add", "table", "netdev", `vs${ctx.leftover}`]);
    const guest = await fx.netns("leftover");
    await attachVserverNetwork({ name: "vst-leftover", ctx: ctx.leftover, netnsPath: guest.path, interfaces: [{ address: "10.216.0.4", prefix: 24 }] }, paths);
    assert.match(await must(["nft", "list", "table", "netdev", `vs${ctx.leftover}`]), /hook ingress device "vsh\d+"/);
    assert.ok(await ping(guest.path, "10.216.0.3"));
  });
});
