/**
 * A test run killed with its servers running (the case that made a later CI run's
 * servers collide on `vsh<ctx>`): its temp host is found by its dead owner and swept with
 * everything it holds (the running server, its veth and table, its cgroups, its dirs),
 * while the temp host of a live run is never taken for stale.
 */
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { linkExists } from "../../kernel/net/links";
import { Fixture } from "../../kernel/net/testing/fixture";
import { readRunState } from "../runtime/run-state";
import { cli } from "../limits/testing/cli-host";
import { staleTempHosts } from "./stale-temp-hosts";
import { buildBundle, cleanupTempHost, makeTempHost, tempHostEnv, type TempHost } from "./temp-host";

const fx = new Fixture();
let live: TempHost;
let killed = "";

/** Makes a temp host in a child process (its owner) and returns the host's base once made. */
async function hostOfChild(): Promise<{ base: string; kill: () => Promise<void> }> {
  const script = `const { makeTempHost } = await import(${JSON.stringify(path.join(import.meta.dirname, "temp-host.ts"))}); console.log(makeTempHost().base); setInterval(() => {}, 1e6);`;
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "inherit"] });
  const base = await new Promise<string>((resolve, reject) => {
    child.stdout.once("data", (d: Buffer) => resolve(d.toString().trim()));
    child.once("exit", (code) => reject(new Error(`the owner exited first (${code})`)));
  });
  const kill = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise((r) => child.once("exit", r));
    child.kill("SIGKILL");
    await gone;
  };
  return { base, kill };
}

describe("temp hosts of killed test runs", () => {
  before(async () => {
    buildBundle();
    await fx.guardRoutes("10.235.0.0/16");
    live = makeTempHost();
  });
  after(async () => {
    if (killed && fs.existsSync(killed)) await cleanupTempHost(killed);
    await live.cleanup();
    assert.deepEqual(await fx.cleanup(), []);
  });

  it("a killed run's host is swept with its running server, network and cgroups; a live run's host is left", async () => {
    const owner = await hostOfChild();
    killed = owner.base;
    fx.defer("owner", owner.kill);
    const host = { env: { ...process.env, ...tempHostEnv(killed) } } as TempHost;
    const paths = { confDir: path.join(killed, "etc"), rootDir: path.join(killed, "root"), runDir: path.join(killed, "run") };
    assert.equal(cli(host, "vserver", ["orphan", "build", "-m", "busybox", "--no-boot", "--context", "101", "--interface", "10.235.0.2/24"]).code, 0);
    const s = cli(host, "vserver", ["orphan", "start"]);
    assert.equal(s.code, 0, s.err);
    const initPid = readRunState(paths, "orphan")!.initPid;
    assert.ok(await linkExists("vsh101"));
    assert.ok(!staleTempHosts().includes(killed), "not stale while its owner runs");

    await owner.kill();
    assert.ok(staleTempHosts().includes(killed), "stale once its owner is gone");
    assert.ok(!staleTempHosts().includes(live.base), "a live run's host is never stale");
    process.kill(initPid, 0); // the server outlived its owner, as servers outlive the agent

    const sweep = execFileSync(process.execPath, ["--import", "tsx", path.join(import.meta.dirname, "../../../../scripts/test/sweep-stale-hosts.ts")], { encoding: "utf8" });
    assert.match(sweep, new RegExp(`sweeping the temp host of a killed test run: ${killed}`));
    assert.equal(fs.existsSync(killed), false);
    assert.equal(await linkExists("vsh101"), false);
    assert.doesNotMatch(execFileSync("nft", ["list", "tables"], { encoding: "utf8" }), /netdev vs101$/m);
    assert.throws(() => process.kill(initPid, 0), /ESRCH/, "the server was stopped");
    for (const ctrl of fs.readdirSync("/sys/fs/cgroup")) {
      assert.equal(fs.existsSync(path.join("/sys/fs/cgroup", ctrl, path.basename(killed))), false, `cgroup ${ctrl}`);
    }
    assert.ok(fs.existsSync(live.base));
  });
});
