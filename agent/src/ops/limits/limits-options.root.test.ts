/**
 * Issue 4, the options: every limit option of `vserver NAME build` is persisted and in
 * force at start (cgroup, tc, disk); every option of `vlimit` works live on a running
 * server and persists across a restart; sizes take K/M/G/T; bad values (negative, zero
 * memory, above the host, out of range, unenforceable) give a clear error and change
 * nothing, on a running server, a stopped one and at build; `vserver --host-info` names
 * the disk mode new servers get, and vlimit the mode of a server's own disk.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { Fixture } from "../../kernel/net/testing/fixture";
import { hostCgroups } from "../runtime/host-cgroups";
import { readRunState } from "../runtime/run-state";
import { buildBundle, makeTempHost, type TempHost } from "../testing/temp-host";
import { cli, vlimitOutput } from "./testing/cli-host";

let host: TempHost;
const fx = new Fixture();
const M = 1024 * 1024;

const ALL_OPTIONS = [
  "--cpu", "0.5", "--cpu-weight", "100", "--memory", "256M", "--swap", "0", "--pids", "200", "--disk", "2G", "--inodes", "100000",
  "--io-read", "20M", "--io-write", "20M", "--iops-read", "500", "--iops-write", "500", "--net-rate", "100M",
];

/** The limits/ files of a server: name → content. */
function limitFiles(name: string): Record<string, string> {
  const dir = path.join(host.paths.confDir, name, "limits");
  return Object.fromEntries(fs.readdirSync(dir).sort().map((f) => [f, fs.readFileSync(path.join(dir, f), "utf8").trim()]));
}

/** MAJ:MIN of the device mounted on the server's root (its loop image). */
function rootDevice(name: string): string {
  return execFileSync("findmnt", ["-n", "-o", "MAJ:MIN", path.join(host.paths.rootDir, name)], { encoding: "utf8" }).trim();
}

function ctxOf(name: string): number {
  return Number(fs.readFileSync(path.join(host.paths.confDir, name, "context"), "utf8"));
}

/** The HTB rate on the server's host-side veth (traffic to it) and its IFB (from it). */
function tcRates(name: string): string[] {
  return [`vsh${ctxOf(name)}`, `vsi${ctxOf(name)}`].map((dev) => / rate (\S+) /.exec(execFileSync("tc", ["class", "show", "dev", dev], { encoding: "utf8" }))?.[1] ?? "none");
}

describe("limit options of build and vlimit (CLI, real kernel)", () => {
  before(async () => {
    buildBundle();
    host = makeTempHost();
    await fx.guardRoutes("10.232.0.0/16");
  });
  after(async () => {
    await host.cleanup();
    assert.deepEqual(await fx.cleanup(), []);
  });

  it("vserver --host-info names the disk mode new servers get here", () => {
    const r = cli(host, "vserver", ["--host-info"]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^disk mode {4}(loop|project): .+$/m);
    assert.match(r.out, /^cgroup {7}v1 \(layout hybrid, cgroup2 at \/sys\/fs\/cgroup\/unified\)$/m);
    assert.match(r.out, /^network {6}routed, forwarding devices$/m);
  });

  it("build takes every limit option; start puts them in force (cgroup on the root's device, tc, disk image)", async () => {
    const b = cli(host, "vserver", ["opt", "build", "-m", "busybox", "--no-boot", "--interface", "10.232.0.2/32", ...ALL_OPTIONS]);
    assert.equal(b.code, 0, b.err);
    assert.deepEqual(limitFiles("opt"), {
      cpu: "0.5", disk: "2G", inodes: "100000", "io-read": "20M", "io-write": "20M", "iops-read": "500", "iops-write": "500",
      memory: "256M", "net-rate": "100M", pids: "200", swap: "0",
    });
    assert.equal(fs.readFileSync(path.join(host.paths.confDir, "opt/dlimits/mode"), "utf8").trim(), "loop");
    const s = cli(host, "vserver", ["opt", "start"]);
    assert.equal(s.code, 0, s.err);
    const cg = await (await hostCgroups()).readLimits("opt");
    assert.equal(cg.cpuQuota, 0.5);
    assert.equal(cg.cpuWeight, 100);
    assert.equal(cg.memory, 256 * M);
    assert.equal(cg.swap, 0);
    assert.equal(cg.pids, 200);
    assert.deepEqual(cg.io, [{ device: rootDevice("opt"), readBps: 20 * M, writeBps: 20 * M, readIops: 500, writeIops: 500 }]);
    assert.match(rootDevice("opt"), /^7:\d+$/, "a loop device: the root's own disk");
    assert.deepEqual(tcRates("opt"), ["100Mbit", "100Mbit"]);
    const v = vlimitOutput(host, "opt");
    assert.equal(v.limits.get("memory"), "256M");
    assert.equal(v.limits.get("net-rate"), "100M");
    assert.match(v.usage.get("disk") ?? "", /used, \S+ free of 2G, \d+ inodes \(loop\)$/);
  });

  it("vlimit changes every option live and persists it; a restart keeps them; a refused step undoes the others", async () => {
    const cg = await hostCgroups();
    const initPid = readRunState(host.paths, "opt")!.initPid;
    const options = [
      "--cpu", "0.75", "--cpu-weight", "200", "--memory", "384M", "--swap", "64M", "--pids", "300",
      "--io-read", "30M", "--io-write", "10M", "--iops-read", "600", "--iops-write", "400", "--net-rate", "50M",
    ];
    // Growing a mounted image online needs CAP_SYS_RESOURCE (ext4 resize); without it the
    // disk step (the last one) is refused, and every step before it is undone.
    const canGrowLive = (BigInt(`0x${/^CapEff:\s+(\S+)$/m.exec(fs.readFileSync("/proc/self/status", "utf8"))![1]}`) >> 24n) & 1n;
    const filesBefore = limitFiles("opt");
    const kernelBefore = await cg.readLimits("opt");
    const withDisk = cli(host, "vlimit", ["opt", ...options, "--disk", "3G"]);
    if (!canGrowLive) {
      assert.equal(withDisk.code, 1, withDisk.err);
      assert.match(withDisk.err, /limits\.diskBytes: growing a running server's image needs .*CAP_SYS_RESOURCE/);
      assert.deepEqual(limitFiles("opt"), filesBefore);
      assert.deepEqual(await cg.readLimits("opt"), kernelBefore, "the cgroup part was undone");
      assert.deepEqual(tcRates("opt"), ["100Mbit", "100Mbit"], "the rate was undone");
      const r = cli(host, "vlimit", ["opt", ...options]);
      assert.equal(r.code, 0, r.err);
    } else {
      assert.equal(withDisk.code, 0, withDisk.err);
    }
    assert.equal(readRunState(host.paths, "opt")!.initPid, initPid, "live, no restart");
    const want = { cpuQuota: 0.75, cpuWeight: 200, memory: 384 * M, swap: 64 * M, pids: 300 };
    const io = [{ device: rootDevice("opt"), readBps: 30 * M, writeBps: 10 * M, readIops: 600, writeIops: 400 }];
    const pick = (l: Awaited<ReturnType<typeof cg.readLimits>>) => ({ cpuQuota: l.cpuQuota, cpuWeight: l.cpuWeight, memory: l.memory, swap: l.swap, pids: l.pids, io: l.io });
    assert.deepEqual(pick(await cg.readLimits("opt")), { ...want, io });
    assert.deepEqual(tcRates("opt"), ["50Mbit", "50Mbit"]);
    assert.equal(limitFiles("opt")["cpu-weight"], "200");
    assert.equal(limitFiles("opt")["net-rate"], "50M");
    if (!canGrowLive) {
      assert.equal(cli(host, "vserver", ["opt", "stop", "--timeout", "5"]).code, 0);
      const grow = cli(host, "vlimit", ["opt", "--disk", "3G"]);
      assert.equal(grow.code, 0, grow.err);
      assert.equal(cli(host, "vserver", ["opt", "start"]).code, 0);
    } else {
      assert.equal(cli(host, "vserver", ["opt", "restart", "--timeout", "5"]).code, 0);
    }
    assert.equal(limitFiles("opt").disk, "3G");
    const df = cli(host, "vserver", ["opt", "exec", "/bin/df", "-k", "/"]).out.trim().split("\n").pop()!.split(/\s+/);
    assert.ok(Number(df[1]) > 2.5 * 1024 * 1024, `grown: ${df.join(" ")}`);
    assert.deepEqual(pick(await cg.readLimits("opt")), { ...want, io }, "after the restart");
    assert.deepEqual(tcRates("opt"), ["50Mbit", "50Mbit"]);
    assert.equal(cli(host, "vlimit", ["opt", "--net-rate", "unlimited", "--io-read", "unlimited", "--io-write", "unlimited", "--iops-read", "unlimited", "--iops-write", "unlimited"]).code, 0);
    assert.deepEqual((await cg.readLimits("opt")).io, []);
    assert.throws(() => execFileSync("tc", ["class", "show", "dev", `vsi${ctxOf("opt")}`], { stdio: "pipe" }), "the IFB is gone");
  });

  it("sizes take K, M, G and T", () => {
    assert.equal(cli(host, "vlimit", ["opt", "--memory", "393216K", "--io-read", "1T", "--io-write", "0.5G"]).code, 0);
    const files = limitFiles("opt");
    assert.equal(files.memory, "384M");
    assert.equal(files["io-read"], "1T");
    assert.equal(files["io-write"], "512M");
  });

  it("bad values give a clear error and change nothing: running, stopped, and at build", async () => {
    const cases: [string[], number, RegExp][] = [
      [["--memory", "-5M"], 2, /Option '--memory' argument is ambiguous/],
      [["--memory=-5M"], 2, /--memory: "-5M" is not a size/],
      [["--memory", "0"], 2, /limits\.memory: at least 4M/],
      [["--memory", "100T"], 2, /limits\.memory: 100T is above the host's/],
      [["--cpu", "64"], 2, /limits\.cpu: 64 cores is above the host's \d+ CPUs/],
      [["--cpu", "0"], 2, /--cpu: must be above zero/],
      [["--cpu=-1.5"], 2, /--cpu: "-1.5" is not a CPU amount/],
      [["--pids", "0"], 2, /limits\.pids/],
      [["--pids=-3"], 2, /--pids: "-3" is not a whole number/],
      [["--cpu-weight", "20000"], 2, /limits\.cpuWeight/],
      [["--net-rate", "5"], 2, /--net-rate: must be between 8000/],
      [["--io-read=-20M"], 2, /--io-read: "-20M" is not a size/],
      [["--memory", "unlimited", "--pids", "50"], 1, /limits\.memory: on this host \(cgroup v1\) a swap limit needs a memory limit/],
      [["--disk", "1T"], 1, /limits\.diskBytes: the image needs .* free/],
    ];
    const cg = await hostCgroups();
    for (const state of ["running", "stopped"] as const) {
      if (state === "stopped") assert.equal(cli(host, "vserver", ["opt", "stop", "--timeout", "0"]).code, 0);
      const files = limitFiles("opt");
      const kernel = state === "running" ? await cg.readLimits("opt") : null;
      for (const [args, code, message] of cases) {
        const r = cli(host, "vlimit", ["opt", ...args]);
        assert.equal(r.code, code, `${state} ${args.join(" ")}: ${r.err}`);
        assert.match(r.err, message, `${state} ${args.join(" ")}`);
        assert.deepEqual(limitFiles("opt"), files, `${state} ${args.join(" ")} changed the files`);
        if (kernel) assert.deepEqual(await cg.readLimits("opt"), kernel, `${args.join(" ")} changed the cgroup`);
      }
    }
    for (const [args, code, message] of cases.slice(0, 12)) {
      const r = cli(host, "vserver", ["bad", "build", "-m", "busybox", ...args]);
      assert.equal(r.code, code, `build ${args.join(" ")}: ${r.err}`);
      assert.match(r.err, message);
      assert.equal(fs.existsSync(path.join(host.paths.confDir, "bad")), false, `build ${args.join(" ")} left a config`);
    }
    assert.equal(cli(host, "vserver", ["opt", "delete"]).code, 0);
  });
});
