/**
 * Run by host-forwarding.root.test.ts inside a fresh network namespace (`ip netns exec`,
 * which also gives it its own /sys) that plays the host: global forwarding is switched
 * on and back off there, never on the real host, where flipping IPv6 forwarding would
 * send MLD reports out of the uplink. Prints one JSON object with what it saw.
 */
import { hostPaths } from "../../../host-paths";
import { attachVserverNetwork } from "../attach";
import { detachVserverNetwork } from "../detach";
import { snapshotForwarding } from "../forwarding";
import { ensureHostNetwork, releaseHostNetwork } from "../host-network";
import { readHostSysctl, writeHostSysctl } from "../sysctl";
import { Fixture, must, ping } from "./fixture";

const [runDir, ctxText] = process.argv.slice(2);
const paths = hostPaths({ ...process.env, VSERVER_RUNDIR: runDir });
const ctx = Number(ctxText);
const fx = new Fixture();
const result: Record<string, unknown> = {};
try {
  await must(["ip", "link", "set", "lo", "up"]);
  // A device with forwarding on by itself: the global switch overwrites it, release must
  // put it back.
  await must(["ip", "link", "add", "vstfw0", "type", "veth", "peer", "name", "vstfw1"]);
  await writeHostSysctl("net.ipv4.conf.vstfw0.forwarding", "1");
  await writeHostSysctl("net.ipv6.conf.vstfw0.forwarding", "1");
  const before = await snapshotForwarding();

  result.ensure1 = await ensureHostNetwork({ forwarding: "global" }, paths);
  result.on = [await readHostSysctl("net.ipv4.ip_forward"), await readHostSysctl("net.ipv6.conf.all.forwarding")];
  result.ensure2 = await ensureHostNetwork({ forwarding: "global" }, paths);

  const g1 = await fx.pidNetns();
  const g2 = await fx.pidNetns();
  fx.defer("detach", () => detachVserverNetwork(ctx, paths));
  fx.defer("detach", () => detachVserverNetwork(ctx + 1, paths));
  await attachVserverNetwork({ name: "vst-fw1", ctx, netnsPid: g1.pid, interfaces: [{ address: "10.216.1.2", prefix: 24 }, { address: "fd00:216:1::2", prefix: 64 }] }, paths);
  await attachVserverNetwork({ name: "vst-fw2", ctx: ctx + 1, netnsPid: g2.pid, interfaces: [{ address: "10.216.1.3", prefix: 24 }, { address: "fd00:216:1::3", prefix: 64 }] }, paths);
  result.pings = [await ping(g1.path, "10.216.1.3"), await ping(g1.path, "fd00:216:1::3")];
  result.releaseWhileInUse = await releaseHostNetwork({}, paths);

  await detachVserverNetwork(ctx, paths);
  await detachVserverNetwork(ctx + 1, paths);
  result.release = await releaseHostNetwork({}, paths);
  result.restoredEqual = JSON.stringify(await snapshotForwarding()) === JSON.stringify(before);
  result.before = before;
  result.after = await snapshotForwarding();
} catch (error) {
  result.error = String(error);
} finally {
  result.cleanup = await fx.cleanup();
  process.stdout.write(JSON.stringify(result) + "\n");
}
