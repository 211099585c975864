/**
 * Issue 13, points 2 and 3, inside a real busybox server built and driven with the CLI:
 * limited to 1 core and 512M it reads its own MemTotal, one CPU (nproc, cpuinfo,
 * cpu/online) and its own uptime through the agent's LXCFS; `vlimit --memory` changes
 * MemTotal live; `vlimit --nofile` is every process's open-files limit, at start and
 * live (a process started afterwards by an old one inherits the new value). LXCFS
 * restarts after it dies, and the host's LXCFS is gone after cleanup (the runner's leak
 * check looks for its FUSE mount and process).
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import { after, before, describe, it } from "node:test";
import { readRunState } from "../runtime/run-state";
import { ensureOwnView, lxcfsPathsOf } from "../runtime/own-view";
import { lxcfsMounted, runningLxcfs } from "../../kernel/lxcfs/lxcfs-daemon";
import { buildBundle, makeTempHost, type TempHost } from "../testing/temp-host";
import { cli, guestSh, until } from "./testing/cli-host";

let host: TempHost;
const NAME = "vstview";

/** Runs `script` inside and returns its stdout, failing the test on a non-zero exit. */
function inside(script: string): string {
  const r = guestSh(host, NAME, script);
  assert.equal(r.code, 0, `${script}: ${r.err}`);
  return r.out.trim();
}

/** MemTotal inside, in kB. */
function memTotalKb(): number {
  return Number(inside("awk '/^MemTotal:/ {print $2}' /proc/meminfo"));
}

function hostUptime(): number {
  return Number(fs.readFileSync("/proc/uptime", "utf8").split(" ")[0]);
}

describe("a server's own view of its resources and its open-files limit (busybox, CLI, real kernel)", () => {
  let startedBefore = 0;
  before(() => {
    buildBundle();
    host = makeTempHost();
    const b = cli(host, "vserver", [NAME, "build", "-m", "busybox", "--no-boot", "--cpu", "1", "--memory", "512M"]);
    assert.equal(b.code, 0, b.err);
    const n = cli(host, "vlimit", [NAME, "--nofile", "1024"]);
    assert.equal(n.code, 0, n.err);
    startedBefore = hostUptime();
    const s = cli(host, "vserver", [NAME, "start"]);
    assert.equal(s.code, 0, s.err);
  });
  after(async () => {
    await host?.cleanup();
    assert.equal(lxcfsMounted(lxcfsPathsOf(host.paths).mountDir), false, "the host's LXCFS mount is gone");
  });

  it("the agent's LXCFS serves the host and the server's /proc files are its binds", () => {
    const p = lxcfsPathsOf(host.paths);
    assert.notEqual(runningLxcfs(p), null, "lxcfs runs");
    const mounts = inside("cat /proc/self/mountinfo");
    for (const f of ["/proc/meminfo", "/proc/cpuinfo", "/proc/stat", "/proc/uptime", "/proc/loadavg", "/proc/swaps", "/proc/diskstats", "/sys/devices/system/cpu/online"]) {
      assert.match(mounts, new RegExp(` ${f.replace(/\//g, "\\/")} [^\\n]* - fuse\\.lxcfs `), `${f} is the LXCFS file`);
    }
  });

  it("1 core and 512M: MemTotal 512M, nproc 1, one CPU in cpuinfo and cpu/online; the host sees its own", (t) => {
    assert.equal(memTotalKb(), 512 * 1024);
    // Shown here, asserted in sysinfo-view.root.test.ts: busybox free and uptime ask
    // sysinfo(2), which the server's monitor answers, not LXCFS.
    t.diagnostic(`busybox free -m inside: ${inside("free -m").replace(/\s+/g, " ")}`);
    t.diagnostic(`busybox uptime inside: ${inside("uptime")}`);
    const hostCpus = os.cpus().length;
    if (hostCpus < 2) {
      t.skip("machine limit: one CPU, so a pin to one CPU cannot be told from the host's count");
      return;
    }
    assert.equal(inside("nproc"), "1");
    assert.equal(inside("grep -c ^processor /proc/cpuinfo"), "1");
    assert.equal(inside("cat /sys/devices/system/cpu/online"), "0");
    // The host, reading the same kernel, still sees all of it.
    assert.match(fs.readFileSync("/proc/meminfo", "utf8"), /^MemTotal:\s+\d+ kB/m);
    assert.notEqual(Number(/^MemTotal:\s+(\d+)/m.exec(fs.readFileSync("/proc/meminfo", "utf8"))![1]), 512 * 1024);
  });

  it("/proc/uptime is the server's: no older than its start, younger than the host", () => {
    const [up] = inside("cat /proc/uptime").split(" ");
    const serverUp = Number(up);
    const sinceStart = hostUptime() - startedBefore;
    assert.ok(serverUp >= 0 && serverUp <= sinceStart + 1, `server uptime ${serverUp}s, started ${sinceStart.toFixed(1)}s ago`);
    assert.ok(serverUp < hostUptime(), "below the host's uptime");
  });

  it("a live memory change shows at once: 256M → MemTotal 256M", () => {
    const r = cli(host, "vlimit", [NAME, "--memory", "256M"]);
    assert.equal(r.code, 0, r.err);
    assert.equal(memTotalKb(), 256 * 1024);
  });

  it("--nofile: ulimit -n inside is the value set before start, for the init and entered commands", () => {
    assert.equal(inside("ulimit -n"), "1024");
    assert.match(inside("grep 'Max open files' /proc/1/limits"), /^Max open files\s+1024\s+1024\s/);
    assert.match(cli(host, "vlimit", [NAME]).out, /^nofile\s+1024$/m);
  });

  it("a live --nofile change reaches running processes, and a process they start inherits it", async () => {
    // A process started before the change, which starts a new one only after it.
    const bg = guestSh(host, NAME, "(while [ ! -e /tmp/go ]; do sleep 0.05; done; sh -c 'ulimit -n' > /tmp/seen) >/dev/null 2>&1 &");
    assert.equal(bg.code, 0, bg.err);
    const r = cli(host, "vlimit", [NAME, "--nofile", "512"]);
    assert.equal(r.code, 0, r.err);
    inside("touch /tmp/go");
    const seen = await until("the old process's child to report", () => {
      const v = guestSh(host, NAME, "cat /tmp/seen 2>/dev/null").out.trim();
      return v === "" ? false : v;
    });
    assert.equal(seen, "512");
    assert.match(inside("grep 'Max open files' /proc/1/limits"), /^Max open files\s+512\s+512\s/);
    assert.equal(inside("ulimit -n"), "512");
    assert.equal(fs.readFileSync(`${host.paths.confDir}/${NAME}/rlimits/nofile`, "utf8").trim(), "512");
  });

  it("refuses a nofile the host cannot give, and a nonsense one, changing nothing", () => {
    const big = cli(host, "vlimit", [NAME, "--nofile", String(2 ** 40)]);
    assert.notEqual(big.code, 0);
    assert.match(big.err, /nofile/);
    const tiny = cli(host, "vlimit", [NAME, "--nofile", "3"]);
    assert.notEqual(tiny.code, 0);
    assert.equal(inside("ulimit -n"), "512");
  });

  it("LXCFS killed: the agent's check starts a new one, and a restarted server reads it", async () => {
    const p = lxcfsPathsOf(host.paths);
    const old = runningLxcfs(p)!;
    process.kill(old, "SIGKILL");
    await until("the old lxcfs to be gone", () => !fs.existsSync(`/proc/${old}`) || fs.readFileSync(`/proc/${old}/stat`, "utf8").split(" ")[2] === "Z");
    const state = await ensureOwnView(host.paths);
    assert.equal(state.mode, "lxcfs", state.reason);
    const fresh = runningLxcfs(p);
    assert.ok(fresh !== null && fresh !== old, "a new lxcfs serves the mount");
    const initBefore = readRunState(host.paths, NAME)!.initPid;
    const rs = cli(host, "vserver", [NAME, "restart"]);
    assert.equal(rs.code, 0, rs.err);
    assert.notEqual(readRunState(host.paths, NAME)!.initPid, initBefore);
    assert.equal(memTotalKb(), 256 * 1024);
  });

  it("the shared-uid mode (no user namespace) gets the same view and limit", () => {
    assert.equal(cli(host, "vserver", [NAME, "stop"]).code, 0);
    const a = cli(host, "vattribute", [NAME, "--set", "--userns", "off"]);
    assert.equal(a.code, 0, a.err);
    const s = cli(host, "vserver", [NAME, "start"]);
    assert.equal(s.code, 0, s.err);
    assert.equal(readRunState(host.paths, NAME)!.uidmap, null);
    assert.equal(memTotalKb(), 256 * 1024);
    assert.equal(inside("ulimit -n"), "512");
    assert.match(inside("grep 'Max open files' /proc/1/limits"), /^Max open files\s+512\s+512\s/);
    if (os.cpus().length >= 2) assert.equal(inside("nproc"), "1");
  });
});
