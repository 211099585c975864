/**
 * ensureHostNetwork/releaseHostNetwork with global forwarding. The scenario runs in a
 * namespace of its own that plays the host (see testing/forwarding-scenario.ts), so
 * the real host's forwarding is never flipped; this file checks the scenario's findings
 * and that the real host is unchanged.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { Fixture, randomCtxBase, repoRoot, run } from "./testing/fixture";
import { hostSnapshot } from "./testing/host-snapshot";

const fx = new Fixture();
let snapshot: Record<string, string[]>;
/** What forwarding-scenario.ts prints (parsed loosely: it is our own test helper). */
interface ScenarioResult {
  error?: string;
  ensure1: { changedSysctls: string[] };
  ensure2: { changedSysctls: string[] };
  on: (string | null)[];
  pings: boolean[];
  releaseWhileInUse: { released: boolean; inUse: number[] };
  release: { released: boolean; restoredSysctls: string[] };
  before: [string, string][];
  after: [string, string][];
  restoredEqual: boolean;
  cleanup: string[];
}
let result: ScenarioResult;

describe("host forwarding setup (in a stand-in host namespace)", () => {
  before(async () => {
    snapshot = await hostSnapshot();
    const host = await fx.netns("fwhost");
    const runDir = await fx.runDir();
    const script = path.join(import.meta.dirname, "testing/forwarding-scenario.ts");
    const argv = ["ip", "netns", "exec", host.name, process.execPath, "--import", "tsx", script, runDir, String(randomCtxBase())];
    const out = await run(argv, undefined, repoRoot);
    result = JSON.parse(out.stdout.trim().split("\n").pop() || "{}") as ScenarioResult;
    assert.equal(result.error, undefined, `scenario failed: ${result.error} ${out.stderr}`);
  });

  after(async () => {
    assert.deepEqual(await fx.cleanup(), []);
    assert.deepEqual(await hostSnapshot(), snapshot, "real host changed");
  });

  it("turns global forwarding on once, idempotently", () => {
    assert.deepEqual(result.ensure1.changedSysctls, ["net.ipv4.ip_forward", "net.ipv6.conf.all.forwarding"]);
    assert.deepEqual(result.on, ["1", "1"]);
    assert.deepEqual(result.ensure2.changedSysctls, []);
  });

  it("routes between servers, IPv4 and IPv6", () => {
    assert.deepEqual(result.pings, [true, true]);
  });

  it("releases nothing while a server is attached", () => {
    assert.equal(result.releaseWhileInUse.released, false);
    assert.equal(result.releaseWhileInUse.inUse.length, 2);
  });

  it("restores every forwarding sysctl it touched, including a device's own setting", () => {
    assert.equal(result.release.released, true);
    assert.ok(result.release.restoredSysctls.includes("net.ipv4.ip_forward"));
    assert.ok(result.release.restoredSysctls.includes("net.ipv4.conf.vstfw0.forwarding"), "device value put back");
    assert.ok(result.release.restoredSysctls.includes("net.ipv6.conf.vstfw0.forwarding"), "device value put back");
    assert.deepEqual(result.after, result.before);
    assert.equal(result.restoredEqual, true);
    assert.deepEqual(result.cleanup, []);
  });
});
