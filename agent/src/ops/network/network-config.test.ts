/** The network configuration files: host defaults, a server's override, refusals naming the file. */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { AgentFailure } from "../../errors";
import type { HostPaths } from "../../config/paths";
import { hostNetworkDir, readHostNetworkConfig, serverNetworkPlan } from "./network-config";

let base = "";
let paths: HostPaths;

function put(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

describe("network config", () => {
  before(() => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), "vst-netcfg-"));
    paths = { confDir: path.join(base, "etc"), rootDir: path.join(base, "root"), runDir: path.join(base, "run") };
  });
  after(() => fs.rmSync(base, { recursive: true, force: true }));

  it("without files: routed, forwarding devices (nothing host-wide changes)", () => {
    assert.deepEqual(readHostNetworkConfig(paths), { mode: "routed", bridge: null, gateway4: null, gateway6: null, bridgeAddresses: [], forwarding: "devices" });
    assert.deepEqual(serverNetworkPlan(paths, "web"), { mode: "routed", host: { forwarding: "devices" } });
  });

  it("host defaults and a server's own choice", () => {
    const d = hostNetworkDir(paths);
    put(path.join(d, "mode"), "bridge\n");
    put(path.join(d, "bridge"), "br0\n");
    put(path.join(d, "gateway4"), "192.0.2.1\n");
    put(path.join(d, "gateway6"), "2001:DB8::1\n");
    put(path.join(d, "bridge-addresses"), "192.0.2.1/24\n# the pool's v6 gateway\n2001:db8::1/64\n");
    put(path.join(d, "forwarding"), "global\n");
    assert.deepEqual(serverNetworkPlan(paths, "web"), {
      mode: { bridge: "br0", gateway4: "192.0.2.1", gateway6: "2001:db8::1" },
      host: { forwarding: "global", bridges: [{ name: "br0", addresses: [{ address: "192.0.2.1", prefix: 24 }, { address: "2001:db8::1", prefix: 64 }] }] },
    });
    put(path.join(paths.confDir, "db", "network", "mode"), "routed\n");
    assert.deepEqual(serverNetworkPlan(paths, "db"), { mode: "routed", host: { forwarding: "global" } });
    put(path.join(paths.confDir, "lab", "network", "bridge"), "brlab\n");
    put(path.join(paths.confDir, "lab", "network", "gateway4"), "198.51.100.1\n");
    assert.deepEqual(serverNetworkPlan(paths, "lab"), {
      mode: { bridge: "brlab", gateway4: "198.51.100.1", gateway6: "2001:db8::1" },
      host: { forwarding: "global", bridges: [] },
    }, "a server's own bridge is used as it is, never made");
  });

  it("bad values are refused naming the file", () => {
    const bad = (file: string, text: string, pattern: RegExp, read: () => unknown) => {
      const old = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : null;
      put(file, text);
      try {
        assert.throws(read, (e: unknown) => e instanceof AgentFailure && e.code === "BAD_REQUEST" && pattern.test(e.message));
      } finally {
        if (old === null) fs.rmSync(file);
        else fs.writeFileSync(file, old);
      }
    };
    const d = hostNetworkDir(paths);
    bad(path.join(d, "mode"), "nat\n", /network\/mode: "nat" is not one of routed, bridge/, () => readHostNetworkConfig(paths));
    bad(path.join(d, "forwarding"), "yes\n", /forwarding: "yes" is not one of devices, global/, () => readHostNetworkConfig(paths));
    bad(path.join(d, "gateway4"), "2001:db8::1\n", /gateway4: "2001:db8::1" is not an IPv4 address/, () => readHostNetworkConfig(paths));
    bad(path.join(d, "bridge"), "br 0\n", /network\/bridge: /, () => readHostNetworkConfig(paths));
    bad(path.join(d, "bridge-addresses"), "192.0.2.1/33\n", /bridge-addresses/, () => readHostNetworkConfig(paths));
    fs.rmSync(path.join(d, "bridge"));
    assert.throws(() => serverNetworkPlan(paths, "web"), /bridge mode needs a bridge/);
  });
});
