/**
 * Issue 4, enforced on the real kernel inside a busybox server built and driven through
 * the product (CLI `vserver`/`vlimit` and the agent daemon's API): past `--memory` the
 * allocating process is OOM-killed while the server and host keep running and the OOM
 * count rises, and a live raise lets the same allocation through without a restart; a
 * fork loop stops at `--pids` with EAGAIN and a fork bomb does not keep the agent from
 * stopping the server; a busy loop under `--cpu 0.5` uses half a core (measured from the
 * cgroup's CPU usage through getUsage), and 0.25 after a live change through setLimits;
 * writing past `--disk` fails with ENOSPC and vlimit shows the usage at the limit;
 * `--io-write` throttles direct writes to the root's own (loop) device.
 */
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { after, before, describe, it } from "node:test";
import { parseSize } from "../../kernel/units";
import { Fixture } from "../../kernel/net/testing/fixture";
import { hostCgroups } from "../runtime/host-cgroups";
import { readRunState } from "../runtime/run-state";
import { buildBundle, makeTempHost, type TempHost } from "../testing/temp-host";
import { cli, cliAsync, copyIntoGuest, guestSh, startAgentDaemon, until, vlimitOutput, type TestDaemon } from "./testing/cli-host";
import { buildLimitsProbe } from "./testing/limits-probe";

let host: TempHost;
let daemon: TestDaemon;
const fx = new Fixture();
const M = 1024 * 1024;

/** CPU cores the server used over `ms`, from the cgroup's usage counter (getUsage). */
async function coresUsed(ms: number): Promise<number> {
  const a = await daemon.client.getUsage({ name: "lim" });
  const t0 = process.hrtime.bigint();
  await sleep(ms);
  const b = await daemon.client.getUsage({ name: "lim" });
  const elapsedUs = Number(process.hrtime.bigint() - t0) / 1000;
  return (b.cpuUsageUsec! - a.cpuUsageUsec!) / elapsedUs;
}

/** Two busy loops inside the server for `sec` seconds (two, so that one core is not the cap). */
function spin(sec: number): void {
  const r = guestSh(host, "lim", `for i in 1 2; do (timeout -s KILL ${sec} sh -c 'while :; do :; done') >/dev/null 2>&1 & done`);
  assert.equal(r.code, 0, r.err);
}

function assertNear(t: { diagnostic: (m: string) => void }, measured: number, want: number, tolerance: number, what: string): void {
  const text = `${what}: ${measured.toFixed(3)} for ${want} (±${tolerance * 100}%)`;
  t.diagnostic(text);
  assert.ok(Math.abs(measured / want - 1) <= tolerance, text);
}

describe("limits enforced inside a busybox server (CLI and agent API, real kernel)", () => {
  before(async () => {
    buildBundle();
    host = makeTempHost();
    // Nothing routed to the test subnet may leave the host, whatever happens.
    await fx.guardRoutes("10.231.0.0/16");
    const probe = buildLimitsProbe(host.base);
    const b = cli(host, "vserver", [
      "lim", "build", "-m", "busybox", "--no-boot", "--interface", "10.231.9.2/32",
      "--cpu", "0.5", "--cpu-weight", "100", "--memory", "128M", "--swap", "0", "--pids", "200", "--disk", "256M",
      "--inodes", "100000", "--io-read", "20M", "--io-write", "20M", "--iops-read", "500", "--iops-write", "500", "--net-rate", "100M",
    ]);
    assert.equal(b.code, 0, b.err);
    copyIntoGuest(host, "lim", "/bin/limits-probe", probe);
    const s = cli(host, "vserver", ["lim", "start"]);
    assert.equal(s.code, 0, s.err);
    daemon = await startAgentDaemon(host);
  });
  after(async () => {
    await daemon?.stop();
    await host.cleanup();
    assert.deepEqual(await fx.cleanup(), []);
  });

  it("memory: the allocation past --memory is OOM-killed, the server lives on, the OOM count rises; a live raise lets it through", async (t) => {
    const initPid = readRunState(host.paths, "lim")!.initPid;
    assert.equal((await daemon.client.getUsage({ name: "lim" })).oomKills, 0);
    assert.equal(vlimitOutput(host, "lim").usage.get("oom kills"), "0");
    const big = guestSh(host, "lim", "/bin/limits-probe alloc 300");
    assert.notEqual(big.code, 0, big.out);
    assert.doesNotMatch(big.out, /^done/m);
    assert.match(big.out, /^allocated 64$/m, "it got going before the kill");
    const after = await daemon.client.getUsage({ name: "lim" });
    t.diagnostic(`alloc 300M under 128M: exit ${big.code}, last "${big.out.trim().split("\n").pop()}", oomKills ${after.oomKills}, peak ${after.memoryPeakBytes}`);
    assert.ok((after.oomKills ?? 0) >= 1, `oomKills ${after.oomKills}`);
    assert.ok((after.memoryPeakBytes ?? 0) <= 128 * M, `peak ${after.memoryPeakBytes}`);
    assert.equal(vlimitOutput(host, "lim").usage.get("oom kills"), String(after.oomKills));
    assert.equal(cli(host, "vserver", ["lim", "status"]).code, 0);
    assert.equal(guestSh(host, "lim", "echo alive").out, "alive\n");
    const raise = cli(host, "vlimit", ["lim", "--memory", "512M"]);
    assert.equal(raise.code, 0, raise.err);
    const again = guestSh(host, "lim", "/bin/limits-probe alloc 300");
    assert.equal(again.code, 0, again.err);
    assert.match(again.out, /^done 300$/m);
    assert.equal(readRunState(host.paths, "lim")!.initPid, initPid, "no restart");
    assert.equal((await daemon.client.getUsage({ name: "lim" })).oomKills, after.oomKills, "no new OOM kill");
    await daemon.client.setLimits({ name: "lim", limits: { memory: 128 * M } });
  });

  it("pids: a fork loop stops at --pids with EAGAIN; a fork bomb does not keep the agent from stopping the server", async (t) => {
    const loop = guestSh(host, "lim", "/bin/limits-probe forkloop 1000");
    t.diagnostic(loop.out.trim());
    const m = /^forked (\d+) (\S+)$/m.exec(loop.out);
    assert.ok(m, loop.out + loop.err);
    assert.equal(m[2], "EAGAIN");
    // init, the enter helper and the probe itself hold three of the 200.
    assert.ok(Number(m[1]) >= 190 && Number(m[1]) < 200, m[0]);
    const bombDone = cliAsync(host, "vserver", ["lim", "exec", "/bin/limits-probe", "forkbomb"]);
    try {
      await until("the group to be full", async () => (await daemon.client.getUsage({ name: "lim" })).processes >= 199);
      assert.match(vlimitOutput(host, "lim").usage.get("processes") ?? "", /^(199|200)$/);
      const t0 = Date.now();
      const stop = cli(host, "vserver", ["lim", "stop", "--timeout", "2"]);
      t.diagnostic(`stop with the bomb running took ${Date.now() - t0} ms`);
      assert.equal(stop.code, 0, stop.err);
      assert.equal(cli(host, "vserver", ["lim", "status"]).code, 3);
      assert.equal(await (await hostCgroups()).exists("lim"), false);
    } finally {
      // The bomb's `vserver exec` ends with its server.
      await bombDone;
    }
    const s = cli(host, "vserver", ["lim", "start"]);
    assert.equal(s.code, 0, s.err);
  });

  it("cpu: a busy loop under --cpu 0.5 uses half a core, and a quarter after a live change through setLimits", async (t) => {
    // A high weight, so that other load on this shared 2-core host cannot starve the
    // group below its quota: what is measured is the cap.
    assert.equal(cli(host, "vlimit", ["lim", "--cpu-weight", "10000"]).code, 0);
    t.after(() => cli(host, "vlimit", ["lim", "--cpu-weight", "100"]));
    spin(6);
    await sleep(1000);
    assertNear(t, await coresUsed(3000), 0.5, 0.15, "cores under --cpu 0.5");
    await sleep(2500);
    await daemon.client.setLimits({ name: "lim", limits: { cpu: 0.25 } });
    spin(6);
    await sleep(1000);
    assertNear(t, await coresUsed(3000), 0.25, 0.15, "cores after a live change to 0.25");
    await sleep(2500);
    assert.equal((await daemon.client.getVserver({ name: "lim" })).limits.cpu, 0.25);
    assert.equal(cli(host, "vlimit", ["lim", "--cpu", "0.5"]).code, 0);
  });

  it("disk: writing past --disk fails with ENOSPC and vlimit shows the usage at the limit", async (t) => {
    // ext4 keeps a few MiB back for itself (reserved clusters): that is in df's "used"
    // column neither, so the check is "nothing free" rather than "used = size".
    t.after(() => guestSh(host, "lim", "rm -f /fill"));
    const fill = guestSh(host, "lim", "dd if=/dev/zero of=/fill bs=1M count=400 2>&1; sync");
    assert.match(fill.out, /No space left on device/);
    // In loop mode the image's own metadata (journal, inode tables for --inodes) is part
    // of the 256M: at the limit, "used" is what is left and nothing is free.
    const line = vlimitOutput(host, "lim").usage.get("disk") ?? "";
    const m = /^(\S+) used, (\S+) free of 256M, \d+ inodes \(loop\)$/.exec(line);
    assert.ok(m, line);
    assert.ok(parseSize(m[2]!, "free")! < 2 * M, line);
    const df = guestSh(host, "lim", "df -k / | tail -1").out.trim().split(/\s+/);
    assert.ok(parseSize(m[1]!, "used")! >= 0.95 * Number(df[1]) * 1024, `${line} / df: ${df.join(" ")}`);
    const api = await daemon.client.getUsage({ name: "lim" });
    assert.ok((api.diskBytesUsed ?? 0) >= 0.95 * Number(df[1]) * 1024, String(api.diskBytesUsed));
    assert.equal(guestSh(host, "lim", "rm /fill && sync").code, 0);
    const freed = (await daemon.client.getUsage({ name: "lim" })).diskBytesUsed ?? Infinity;
    assert.ok(freed < (api.diskBytesUsed ?? 0) - 200 * M, `after rm: ${freed}`);
  });

  it("io: --io-write throttles direct writes to the root's own device, and unlimited lifts it live", async (t) => {
    assert.equal(cli(host, "vlimit", ["lim", "--io-write", "4M"]).code, 0);
    // Timed inside the guest (busybox `time -f %e`: elapsed seconds), without the exec's start.
    const seconds = (out: string) => Number(/^([\d.]+)$/m.exec(out)?.[1] ?? NaN);
    const w = guestSh(host, "lim", "time -f %e dd if=/dev/zero of=/io bs=1M count=16 oflag=direct 2>&1");
    assert.equal(w.code, 0, w.out);
    t.diagnostic(w.out.trim().split("\n").pop()!);
    const limited = seconds(w.out);
    assertNear(t, (16 * M) / limited / (4 * M), 1, 0.25, "write rate / 4M limit");
    assert.equal(cli(host, "vlimit", ["lim", "--io-write", "unlimited"]).code, 0);
    const free = guestSh(host, "lim", "time -f %e dd if=/dev/zero of=/io bs=1M count=16 oflag=direct 2>&1; rm /io");
    t.diagnostic(free.out.trim().split("\n").pop()!);
    assert.ok(seconds(free.out) < limited / 2, "more than twice as fast without the limit");
  });
});
