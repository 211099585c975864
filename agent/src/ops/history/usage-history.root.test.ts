/**
 * Issue 15 on the real kernel: a busybox server with its own network is driven while the
 * agent daemon samples it (every second here; the history's step stays 10 s), and what
 * the history recorded is compared with what the server did, measured independently:
 * CPU time of a busy loop (the cgroup's own counter over the same window), a memory hog
 * in its /dev/shm, a file written to its disk (df inside the server), and a download
 * from an HTTP server the test runs on the server's gateway address. Then the history
 * and the traffic totals survive a kill -9 and a clean restart of the agent, and the
 * server's round-robin file goes with the server.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { after, before, describe, it } from "node:test";
import type { HistoryResult } from "@/lib/protocol/usage";
import { Fixture } from "../../kernel/net/testing/fixture";
import { cli, cliAsync, guestSh, startAgentDaemon, type TestDaemon } from "../limits/testing/cli-host";
import { buildBundle, makeTempHost, type TempHost } from "../testing/temp-host";
import { historyPaths } from "./history-paths";
import { runningDaemon } from "./rrdcached-daemon";

let host: TempHost;
let daemon: TestDaemon;
const fx = new Fixture();
const M = 1024 * 1024;
const addr = `10.231.${20 + Math.floor(Math.random() * 200)}.2`;

/** The metric's integral over [from, to] (rate × step, per step fully inside) and the steps used. */
function integral(h: HistoryResult, metric: string, from: number, to: number): { sum: number; steps: number; unknown: number } {
  const s = h.series[metric]!;
  let sum = 0;
  let steps = 0;
  let unknown = 0;
  s.avg.forEach((v, i) => {
    const end = h.start + i * h.step;
    if (end - h.step < from || end > to) return;
    steps++;
    if (v === null) unknown++;
    else sum += v * h.step;
  });
  return { sum, steps, unknown };
}

/** Waits for the next 10 s step boundary (plus a margin), so windows cover whole steps. */
async function toStepBoundary(): Promise<number> {
  const now = Date.now() / 1000;
  const next = Math.ceil(now / 10) * 10;
  await sleep((next - now) * 1000 + 300);
  return next;
}

const history = (from: number, to: number, metrics?: string[]) => daemon.client.getServerHistory({ name: "hist", from, to, ...(metrics ? { metrics: metrics as never } : {}) });

describe("usage history on the real kernel (sampler, rrdcached, agent restarts, delete)", () => {
  before(async () => {
    buildBundle();
    host = makeTempHost();
    host.env.AGENT_SAMPLE_INTERVAL_MS = "1000";
    await fx.guardRoutes("10.231.0.0/16");
    const b = cli(host, "vserver", ["hist", "build", "-m", "busybox", "--no-boot", "--interface", `${addr}/32`, "--memory", "256M", "--disk", "256M", "--pids", "200"]);
    assert.equal(b.code, 0, b.err);
    assert.equal(cli(host, "vserver", ["hist", "start"]).code, 0);
    daemon = await startAgentDaemon(host);
  });
  after(async () => {
    await daemon?.stop();
    await host?.cleanup();
    assert.deepEqual(await fx.cleanup(), []);
  });

  it("CPU: the recorded CPU time of a busy loop matches the cgroup's own counter over the same steps", async (t) => {
    const from = await toStepBoundary();
    const a = await daemon.client.getUsage({ name: "hist" });
    const busy = guestSh(host, "hist", "timeout -s KILL 20 sh -c 'while :; do :; done'; true", 60_000);
    assert.equal(busy.code, 0, busy.err);
    const to = await toStepBoundary();
    const b = await daemon.client.getUsage({ name: "hist" });
    await sleep(1500); // the sample after the boundary closes the last step
    const h = await history(from - 10, to + 10, ["cpu"]);
    const { sum, steps, unknown } = integral(h, "cpu", from, to);
    const measured = (b.cpuUsageUsec! - a.cpuUsageUsec!) / 1e6;
    t.diagnostic(`step ${h.step}s, ${steps} steps (${unknown} unknown): history ${sum.toFixed(2)} CPU-s, cgroup ${measured.toFixed(2)} CPU-s`);
    assert.equal(h.step, 10);
    assert.equal(unknown, 0);
    assert.ok(measured > 10, `the loop ran (${measured} s)`);
    assert.ok(Math.abs(sum / measured - 1) < 0.1, `history ${sum} vs cgroup ${measured}`);
  });

  it("memory, disk and network: a memory hog, a file written and a download show with their sizes", async (t) => {
    // Memory: 48 MiB in the server's /dev/shm (tmpfs pages are charged to its cgroup),
    // measured before the disk write below adds its page cache.
    const base = (await daemon.client.getUsageSamples({ names: ["hist"] })).servers[0]!.values;
    assert.equal(guestSh(host, "hist", "dd if=/dev/zero of=/dev/shm/hog bs=1M count=48 2>/dev/null").code, 0);
    await sleep(2500);
    const hog = (await daemon.client.getUsageSamples({ names: ["hist"] })).servers[0]!.values;
    const memGrew = hog.memory! - base.memory!;
    t.diagnostic(`memory ${base.memory} → ${hog.memory} (+${(memGrew / M).toFixed(1)} MiB)`);
    assert.ok(memGrew >= 47 * M && memGrew <= 52 * M, `memory grew ${memGrew}`);
    // Disk: a 40 MiB file on its root; df inside says what the guest sees.
    assert.equal(guestSh(host, "hist", "dd if=/dev/zero of=/big bs=1M count=40 conv=fsync 2>/dev/null").code, 0);
    const df = guestSh(host, "hist", "df -k / | tail -1").out.trim().split(/\s+/);
    const dfUsed = Number(df[2]) * 1024;
    // Network: 20 MiB downloaded from the gateway address (the host side of its veth).
    const body = Buffer.alloc(20 * M, 7);
    const server = http.createServer((_req, res) => res.end(body));
    await new Promise<void>((r) => server.listen(8931, "169.254.0.1", r));
    const totalsBefore = (await daemon.client.getTrafficTotals({})).totals.find((x) => x.name === "hist")?.rxBytes ?? 0;
    const from = await toStepBoundary();
    // Not guestSh: a blocking spawn would stop this process's HTTP server from answering.
    const got = await cliAsync(host, "vserver", ["hist", "exec", "/bin/sh", "-c", "wget -q -O - http://169.254.0.1:8931/ | wc -c"], 60_000);
    server.close();
    assert.equal(got.out.trim(), String(20 * M), got.err);
    const to = await toStepBoundary();
    await sleep(7000); // a disk sample is taken every 6 intervals
    const samples = (await daemon.client.getUsageSamples({ names: ["hist"] })).servers[0]!.values;
    t.diagnostic(`disk ${samples.diskBytes} vs df ${dfUsed}`);
    assert.ok(Math.abs(samples.diskBytes! - dfUsed) <= 2 * M, `disk ${samples.diskBytes} vs df ${dfUsed}`);
    const h = await history(from - 10, to + 10, ["netRxBytes", "netTxBytes", "memory", "diskBytes"]);
    const rx = integral(h, "netRxBytes", from, to);
    t.diagnostic(`rx steps around the window: ${h.series.netRxBytes!.avg.map((v, i) => `${h.start + i * h.step - from}:${v === null ? "U" : (v / M).toFixed(2)}`).join(" ")}`);
    t.diagnostic(`ledger ${((((await daemon.client.getTrafficTotals({})).totals.find((x) => x.name === "hist")?.rxBytes ?? 0) - totalsBefore) / M).toFixed(2)} MiB`);
    t.diagnostic(`downloaded 20 MiB: history ${(rx.sum / M).toFixed(2)} MiB received over ${rx.steps} steps`);
    assert.ok(rx.sum >= 20 * M && rx.sum <= 21.5 * M, `history rx ${rx.sum}`);
    const totalsAfter = (await daemon.client.getTrafficTotals({})).totals.find((x) => x.name === "hist")!.rxBytes;
    assert.ok(totalsAfter - totalsBefore >= 20 * M && totalsAfter - totalsBefore <= 21.5 * M, `ledger ${totalsAfter - totalsBefore}`);
    const lastMem = h.series.memory!.avg.filter((v) => v !== null).at(-1)!;
    assert.ok(lastMem - base.memory! >= 46 * M, `recorded memory ${lastMem}`);
  });

  it("history and traffic totals survive a kill -9 and a clean restart of the agent", async (t) => {
    // A window inside the 10 s tier (it covers the last hour), asked the same before and after.
    const now = Math.floor(Date.now() / 1000);
    const window = { from: now - 300, to: now - 10 };
    const before = await history(window.from, window.to, ["cpu", "memory"]);
    const totals = (await daemon.client.getTrafficTotals({})).totals.find((x) => x.name === "hist")!;
    await sleep(6500); // the ledger is saved every 6 intervals
    const hp = historyPaths(host.paths);
    const rrdPid = await runningDaemon(hp);
    assert.ok(rrdPid);
    await daemon.kill("SIGKILL");
    assert.equal(await runningDaemon(hp), rrdPid, "rrdcached outlives a killed agent");
    daemon = await startAgentDaemon(host);
    assert.equal(await runningDaemon(hp), rrdPid, "and the next agent adopts it");
    await daemon.stop(); // a clean stop ends rrdcached after it wrote everything
    assert.equal(await runningDaemon(hp), null);
    daemon = await startAgentDaemon(host);
    await sleep(2500);
    const after = await history(window.from, window.to, ["cpu", "memory"]);
    const shape = (h: HistoryResult) => `${h.start}+${h.step}×${h.points}: ${h.series.cpu!.avg.map((v) => (v === null ? "." : "x")).join("")}`;
    t.diagnostic(`before ${shape(before)}`);
    t.diagnostic(`after  ${shape(after)}`);
    assert.equal(after.step, 10);
    assert.equal(after.start, before.start);
    const known = before.series.cpu!.avg.filter((v) => v !== null).length;
    assert.ok(known >= 5, `${known} steps recorded before the restarts`);
    assert.deepEqual(after.series.cpu!.avg, before.series.cpu!.avg, "every recorded step is still there, unchanged");
    assert.deepEqual(after.series.memory!.avg, before.series.memory!.avg);
    const again = (await daemon.client.getTrafficTotals({})).totals.find((x) => x.name === "hist")!;
    assert.ok(again.rxBytes >= totals.rxBytes && again.txBytes >= totals.txBytes, `${JSON.stringify(again)} vs ${JSON.stringify(totals)}`);
    assert.ok(again.rxBytes >= 20 * M, "the download is still counted");
  });

  it("the round-robin file goes with the server", async () => {
    const file = path.join(historyPaths(host.paths).baseDir, "servers", "hist.rrd");
    assert.ok(fs.existsSync(file));
    assert.ok(fs.statSync(file).size > 2_000_000, `fixed size ${fs.statSync(file).size}`);
    assert.equal(cli(host, "vserver", ["hist", "stop"]).code, 0);
    const d = cli(host, "vserver", ["hist", "delete"]);
    assert.equal(d.code, 0, d.err);
    assert.equal(fs.existsSync(file), false);
    await sleep(2500); // no sweep brings it back
    assert.equal(fs.existsSync(file), false);
    const r = await daemon.client.getServerHistory({ name: "hist", from: 0, to: 3600 }).catch((e: { code?: string }) => e.code);
    assert.equal(r, "NOT_FOUND");
  });
});
