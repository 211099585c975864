/**
 * Bridge mode from configuration, through the CLI with busybox servers on the real
 * kernel: the host's `.defaults/network` names a bridge (made by the agent with the
 * gateways when missing), a server's own `network/mode` picks bridge mode (or its own,
 * existing bridge) while others stay routed; bridged servers reach each other, the
 * gateway (the host) and a routed server; a forged source is dropped on the bridge port
 * too; the host setup is made once, kept while any server is attached, and undone after
 * the last (the agent's bridge removed, an admin's bridge left alone); the host's routes
 * and firewall rules end as they began.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { Fixture, must } from "../../kernel/net/testing/fixture";
import { hostSnapshot } from "../../kernel/net/testing/host-snapshot";
import { buildBundle, makeTempHost, type TempHost } from "../testing/temp-host";
import { cli, copyIntoGuest, guestSh } from "../limits/testing/cli-host";
import { datagramsArriving, pings } from "./testing/guest-traffic";
import { buildNetProbe } from "./testing/net-probe";

let host: TempHost;
let probe = "";
let snapshot: Record<string, string[]>;
const fx = new Fixture();
const tag = randomBytes(2).toString("hex");
const agentBridge = `vstbr${tag}`;
const adminBridge = `vstadm${tag}`;

function ctxOf(name: string): number {
  return Number(fs.readFileSync(path.join(host.paths.confDir, name, "context"), "utf8"));
}

function linkExists(name: string): boolean {
  try {
    execFileSync("ip", ["link", "show", "dev", name], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

function masterOf(link: string): string | null {
  return /master (\S+)/.exec(execFileSync("ip", ["-o", "link", "show", "dev", link], { encoding: "utf8" }))?.[1] ?? null;
}

function write(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

/** Builds a busybox server with the probe inside, its own network/ files, and starts it. */
function serve(name: string, interfaces: string[], network: Record<string, string> = {}): void {
  const b = cli(host, "vserver", [name, "build", "-m", "busybox", "--no-boot", ...interfaces.flatMap((i) => ["--interface", i])]);
  assert.equal(b.code, 0, b.err);
  copyIntoGuest(host, name, "/bin/net-probe", probe);
  for (const [file, value] of Object.entries(network)) write(path.join(host.paths.confDir, name, "network", file), `${value}\n`);
  const s = cli(host, "vserver", [name, "start"]);
  assert.equal(s.code, 0, s.err);
}

describe("bridge mode from config (busybox servers, CLI, real kernel)", () => {
  before(async () => {
    snapshot = await hostSnapshot();
    buildBundle();
    host = makeTempHost();
    await fx.guardRoutes("10.234.0.0/16", "fd34::/16");
    probe = buildNetProbe(host.base);
    const defaults = path.join(host.paths.confDir, ".defaults", "network");
    write(path.join(defaults, "bridge"), `${agentBridge}\n`);
    write(path.join(defaults, "bridge-addresses"), "10.234.2.1/24\nfd34:2::1/64\n");
    write(path.join(defaults, "gateway4"), "10.234.2.1\n");
    write(path.join(defaults, "gateway6"), "fd34:2::1\n");
    // An admin's own bridge (a server may name it); the agent must never remove it.
    await must(["ip", "link", "add", adminBridge, "type", "bridge"]);
    fx.defer(`bridge ${adminBridge}`, () => must(["ip", "link", "del", adminBridge]));
    await must(["ip", "link", "set", adminBridge, "up"]);
  });
  after(async () => {
    await host.cleanup();
    // Only a test that failed half-way leaves the agent's bridge (its release needs the
    // run dir the host cleanup removes): remove it, and fail below if it was there.
    const leftBridge = linkExists(agentBridge);
    if (leftBridge) await must(["ip", "link", "del", agentBridge]);
    assert.deepEqual(await fx.cleanup(), []);
    assert.equal(leftBridge, false);
    assert.deepEqual(await hostSnapshot(), snapshot, "the host's routes, addresses, firewall rules and forwarding are as before");
  });

  it("a server's network/mode picks bridge mode; the agent makes the host's bridge once, with the gateways", () => {
    assert.equal(linkExists(agentBridge), false);
    serve("e", ["10.234.2.2/24", "fd34:2::2/64"], { mode: "bridge" });
    serve("f", ["10.234.2.3/24", "fd34:2::3/64"], { mode: "bridge" });
    serve("r", ["10.234.3.2/32"]);
    assert.equal(masterOf(`vsh${ctxOf("e")}`), agentBridge);
    assert.equal(masterOf(`vsh${ctxOf("f")}`), agentBridge);
    assert.equal(masterOf(`vsh${ctxOf("r")}`), null, "r stays routed");
    assert.match(execFileSync("ip", ["-o", "addr", "show", "dev", agentBridge], { encoding: "utf8" }), /inet 10\.234\.2\.1\/24[\s\S]*inet6 fd34:2::1\/64/);
    const state = JSON.parse(fs.readFileSync(path.join(host.paths.runDir, "net/host.json"), "utf8")) as { forwarding: string; createdBridges: string[] };
    assert.deepEqual(state, { ...state, forwarding: "devices", createdBridges: [agentBridge] }, "recorded once");
    const routes = guestSh(host, "e", "ip route; ip -6 route").out;
    assert.match(routes, /^default via 10\.234\.2\.1 dev eth0/m);
    assert.match(routes, /^10\.234\.2\.0\/24 dev eth0/m, "on-link subnet in bridge mode");
  });

  it("bridged servers reach each other, the gateway (the host) and a routed server", () => {
    for (const [from, to] of [["e", "10.234.2.3"], ["e", "fd34:2::3"], ["f", "10.234.2.2"], ["e", "10.234.2.1"], ["e", "fd34:2::1"], ["f", "10.234.3.2"], ["r", "10.234.2.2"]] as const) {
      assert.ok(pings(host, from, to), `${from} → ${to}`);
    }
  });

  it("a forged source is dropped at the bridge port", async () => {
    const got = await datagramsArriving(host, "f", "10.234.2.3", [
      { via: "e", how: "spoof", src: "10.234.2.2", tag: "own" },
      { via: "e", how: "spoof", src: "10.234.2.99", tag: "forged" },
      { via: "e", how: "spoof", src: "10.234.3.2", tag: "routedneighbour" },
    ]);
    assert.deepEqual(got, ["10.234.2.2 own"]);
  });

  it("a server may name an existing bridge of its own; stopping leaves that bridge to its admin", () => {
    serve("x", ["10.234.4.2/24"], { mode: "bridge", bridge: adminBridge, gateway4: "10.234.4.1" });
    assert.equal(masterOf(`vsh${ctxOf("x")}`), adminBridge);
    assert.equal(cli(host, "vserver", ["x", "stop", "--timeout", "0"]).code, 0);
    assert.ok(linkExists(adminBridge));
  });

  it("the host setup stays while any server is attached and is undone after the last; the agent's bridge goes", () => {
    assert.equal(cli(host, "vserver", ["e", "stop", "--timeout", "0"]).code, 0);
    assert.equal(cli(host, "vserver", ["f", "stop", "--timeout", "0"]).code, 0);
    assert.ok(linkExists(agentBridge), "r is still attached");
    assert.ok(fs.existsSync(path.join(host.paths.runDir, "net/host.json")));
    assert.equal(cli(host, "vserver", ["r", "stop", "--timeout", "0"]).code, 0);
    assert.equal(linkExists(agentBridge), false, "released with the last server");
    assert.equal(fs.existsSync(path.join(host.paths.runDir, "net/host.json")), false);
    assert.ok(linkExists(adminBridge), "an admin's bridge is never touched");
    serve("e2", ["10.234.2.4/24"], { mode: "bridge" });
    assert.ok(linkExists(agentBridge), "made again for the next server");
    assert.equal(cli(host, "vserver", ["e2", "stop", "--timeout", "0"]).code, 0);
    assert.equal(linkExists(agentBridge), false);
  });
});
