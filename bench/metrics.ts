/**
 * `BENCH_ONLY=metrics npm run bench` (root): the cost of the usage history.
 *
 * 1. Sampling 1000 running idle servers: each is a real cgroup (in every v1 hierarchy, or
 *    the v2 tree) with one sleeping process and the run state the agent writes at start,
 *    so the sampler does all its per-server work (run state, liveness, cgroup counters,
 *    rrdcached updates); what it does not have is a veth each (one /proc/net/dev read
 *    serves all servers, so that part does not grow per server) and a disk area (the
 *    disk query runs once a minute per server). Measured: the agent's CPU per sweep (as
 *    % of one core at the 10 s interval), rrdcached's CPU, and the bytes written per
 *    minute over two minutes of real 10 s sampling. Peer: the same servers read through
 *    `Cgroups.usage()`, the path of the existing getUsage operation.
 * 2. A year of one server's history (filled with rrdtool, 30 s apart) fetched as the
 *    graphs ask for it (average, minimum and maximum of every metric through rrdcached's
 *    FETCH, parsed and scaled). Peer: `rrdtool xport` of the averages for the same range.
 * Its tables go to bench/results/metrics.md (bench/lib/results.ts).
 */
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { hostCgroups } from "@/agent/src/ops/runtime/host-cgroups";
import { writeRunState } from "@/agent/src/ops/runtime/run-state";
import { readStartTime } from "@/agent/src/kernel/launch/proc-stat";
import { makeTempHost } from "@/agent/src/ops/testing/temp-host";
import { UsageSampler } from "@/agent/src/ops/history/usage-sampler";
import { stopDaemon } from "@/agent/src/ops/history/rrdcached-daemon";
import { queryHistory } from "@/agent/src/ops/history/query-history";
import { createArgs, serverSources } from "@/agent/src/ops/history/rrd-schema";
import { percentile, timeAsync, type BenchTable } from "./lib/stats";

const servers = Number(process.env.BENCH_SERVERS) || 1000;

function ticksOf(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return Number(f[11]) + Number(f[12]); // utime + stime, USER_HZ
}

function writtenBytes(pid: number): number {
  const m = /^write_bytes: (\d+)$/m.exec(fs.readFileSync(`/proc/${pid}/io`, "utf8"));
  return m ? Number(m[1]) : 0;
}

function dirBytes(dir: string): number {
  let sum = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) if (e.isFile()) sum += fs.statSync(path.join(e.parentPath, e.name)).size;
  return sum;
}

/** Runs the benchmark. */
export async function run(): Promise<BenchTable[]> {
  if (process.getuid?.() !== 0) throw new Error("needs root (cgroups, rrdcached)");
  const host = makeTempHost();
  const sleepers: number[] = [];
  let sampler: UsageSampler | undefined;
  try {
    const cg = await hostCgroups();
    const setupStart = Date.now();
    for (let i = 0; i < servers; i++) {
      const name = `b${i}`;
      fs.mkdirSync(path.join(host.paths.confDir, name), { recursive: true });
      await cg.create(name, { devices: "unrestricted" });
      const child = spawn("sleep", ["7200"], { detached: true, stdio: "ignore" });
      child.unref();
      const pid = child.pid!;
      sleepers.push(pid);
      await cg.attach(name, pid);
      const start = readStartTime(pid);
      writeRunState(host.paths, {
        version: 1, name, context: 1000 + i, initPid: pid, initStartTime: start, monitorPid: pid, monitorStartTime: start, startedAt: new Date().toISOString(),
        root: path.join(host.paths.rootDir, name), cgroupParent: cg.parent, cgroupProcs: [], keepCaps: [], seccomp: true, noNewPrivs: true, network: false, oneShot: false, uidmap: null,
      });
    }
    const setupSec = (Date.now() - setupStart) / 1000;

    sampler = new UsageSampler(host.paths, { intervalMs: 10_000 });
    const createStart = Date.now();
    await sampler.start(); // starts rrdcached and makes the 1000 files in its first sweep
    await sampler.client.command("FLUSHALL");
    const rrdPid = Number(fs.readFileSync(sampler.history.pidFile, "utf8").trim());
    // Wait until every file exists on disk (FLUSHALL returns at once).
    for (let i = 0; i < 600 && fs.readdirSync(path.join(sampler.history.baseDir, "servers")).length < servers; i++) await sleep(100);
    const createSec = (Date.now() - createStart) / 1000;
    const fileBytes = fs.statSync(path.join(sampler.history.baseDir, "servers", "b0.rrd")).size;

    // 1a. CPU per sweep, sweeps 1.1 s apart (RRDtool keeps one update per file per second).
    const sweeps: number[] = [];
    const rrdTicks0 = ticksOf(rrdPid);
    for (let i = 0; i < 10; i++) {
      await sleep(1100);
      const c0 = process.cpuUsage();
      await sampler.sweep();
      const c = process.cpuUsage(c0);
      sweeps.push((c.user + c.system) / 1000);
    }
    await sampler.client.command("STATS"); // the daemon has taken every update in
    const rrdCpuMsPerSweep = ((ticksOf(rrdPid) - rrdTicks0) * 10) / 10;
    const agentMs = percentile(sweeps, 50);

    // 1b. The peer: the same servers through Cgroups.usage() (what getUsage reads).
    const peer = await timeAsync(3, 1, async () => {
      for (let i = 0; i < servers; i++) await cg.usage(`b${i}`);
    });
    const peerCpu: number[] = [];
    for (let k = 0; k < 3; k++) {
      const c0 = process.cpuUsage();
      for (let i = 0; i < servers; i++) await cg.usage(`b${i}`);
      const c = process.cpuUsage(c0);
      peerCpu.push((c.user + c.system) / 1000);
    }

    // 1c. Two minutes at the real interval: bytes written by rrdcached (journal; the
    // files are written every 30 min, spread over 15) and by the agent (the ledger).
    const w0 = writtenBytes(rrdPid);
    const a0 = writtenBytes(process.pid);
    const j0 = dirBytes(sampler.history.journalDir);
    const wallStart = Date.now();
    const cpuStart = process.cpuUsage();
    const rrdStart = ticksOf(rrdPid);
    const timer = setInterval(() => void sampler!.sweep(), 10_000);
    await sleep(120_000);
    clearInterval(timer);
    await sampler.sweep();
    const minutes = (Date.now() - wallStart) / 60_000;
    const cpuLoop = process.cpuUsage(cpuStart);
    const agentPctLoop = ((cpuLoop.user + cpuLoop.system) / 1000 / (Date.now() - wallStart)) * 100;
    const rrdPctLoop = (((ticksOf(rrdPid) - rrdStart) * 10) / (Date.now() - wallStart)) * 100;
    const rrdWrittenPerMin = (writtenBytes(rrdPid) - w0) / minutes;
    const agentWrittenPerMin = (writtenBytes(process.pid) - a0) / minutes;
    const journalPerMin = (dirBytes(sampler.history.journalDir) - j0) / minutes;
    const f0 = writtenBytes(rrdPid);
    await sampler.client.command("FLUSHALL");
    for (let i = 0; i < 300; i++) {
      const q = await sampler.client.command("QUEUE");
      if (q.status === 0) break;
      await sleep(100);
    }
    await sleep(1000);
    const flushBytes = writtenBytes(rrdPid) - f0;

    // 2. A year of one server's data.
    const yearFile = path.join(sampler.history.baseDir, "year.rrd");
    const now = Math.floor(Date.now() / 1000);
    const begin = now - 366 * 86400;
    const made = spawnSync("rrdtool", ["create", yearFile, ...createArgs(serverSources, begin).filter((a) => a !== "-O")], { encoding: "utf8" });
    if (made.status !== 0) throw new Error(`rrdtool create: ${made.stderr}`);
    const fillStart = Date.now();
    let counters = 0;
    for (let t = begin + 30; t < now; ) {
      const args: string[] = [];
      for (let k = 0; k < 4000 && t < now; k++, t += 30) {
        counters += 30_000 + (t % 7) * 1000;
        const v = [counters, counters / 10, 2e8 + (t % 5000) * 1000, 3e8, 0, 40 + (t % 9), counters * 4, counters * 8, counters / 100, counters / 50, counters * 20, counters * 10, counters / 10, counters / 20, 5e8, 20000, 0];
        args.push(`${t}:${v.map((x) => Math.floor(x)).join(":")}`);
      }
      const u = spawnSync("rrdtool", ["update", yearFile, ...args], { encoding: "utf8", maxBuffer: 1 << 24 });
      if (u.status !== 0) throw new Error(`rrdtool update: ${u.stderr.slice(0, 300)}`);
    }
    const fillSec = (Date.now() - fillStart) / 1000;
    let points = 0;
    const query = await timeAsync(20, 3, async () => {
      const h = await queryHistory(sampler!.client, "year.rrd", serverSources, { from: now - 365 * 86400, to: now });
      points = h.points;
      JSON.stringify(h);
    });
    const xport = await timeAsync(20, 3, async () => {
      const defs = Object.values(serverSources).flatMap((s, i) => [`DEF:d${i}=${yearFile}:${s.ds}:AVERAGE`, `XPORT:d${i}`]);
      const r = spawnSync("rrdtool", ["xport", "--json", "--start", String(now - 365 * 86400), "--end", String(now), ...defs], { encoding: "utf8", maxBuffer: 1 << 26 });
      if (r.status !== 0) throw new Error(r.stderr);
    });

    const pct = (ms: number) => `${((ms / 10_000) * 100).toFixed(2)} %`;
    const mib = (b: number) => `${(b / 1048576).toFixed(2)} MiB`;
    const tables: BenchTable[] = [
      {
        title: `Sampling ${servers} running idle servers (cgroup ${cg.version}, ${os.cpus().length} cores)`,
        samples: `${sweeps.length} sweeps of ${servers} servers (BENCH_SERVERS) 1.1 s apart, the peer 3 passes over them; then two minutes at the 10 s interval`,
        header: ["what", "per sweep", "% of one core at 10 s", "ratio to peer", "notes"],
        rows: [
          ["agent sampler (cgroup files, run state, rrdcached BATCH)", `${agentMs.toFixed(1)} ms CPU`, pct(agentMs), (agentMs / percentile(peerCpu, 50)).toFixed(3), `n=${sweeps.length}, p90 ${percentile(sweeps, 90).toFixed(1)} ms`],
          ["rrdcached taking the updates", `${rrdCpuMsPerSweep.toFixed(1)} ms CPU`, pct(rrdCpuMsPerSweep), "", "10 ms tick resolution, over 10 sweeps"],
          ["peer: Cgroups.usage() per server (getUsage's path)", `${percentile(peerCpu, 50).toFixed(1)} ms CPU`, pct(percentile(peerCpu, 50)), "1.000", `wall ${percentile(peer, 50).toFixed(0)} ms, n=3`],
          ["two minutes at the real 10 s interval: agent", "", `${agentPctLoop.toFixed(2)} %`, "", "whole process, idle between sweeps"],
          ["two minutes at the real 10 s interval: rrdcached", "", `${rrdPctLoop.toFixed(2)} %`, "", ""],
        ],
        notes: [
          `bytes written per minute: rrdcached ${mib(rrdWrittenPerMin)} (journal files grew ${mib(journalPerMin)}/min), agent ${mib(agentWrittenPerMin)} (traffic ledger)`,
          `a FLUSHALL after those two minutes wrote ${mib(flushBytes)} to the ${servers} files (rrdcached writes each file every 30 min, spread over 15)`,
          `one server's file: ${mib(fileBytes)} (fixed); making ${servers} files took ${createSec.toFixed(1)} s; setting up ${servers} cgroups ${setupSec.toFixed(1)} s`,
        ],
      },
      {
        title: "A year of one server's history (17 metrics, avg/min/max)",
        samples: `${query.length} queries per tool after 3 warm-ups`,
        header: ["tool", "median ms", "p10", "p90", "ratio", "notes"],
        rows: [
          ["getServerHistory path (3 FETCH via rrdcached, parse, scale)", percentile(query, 50).toFixed(1), percentile(query, 10).toFixed(1), percentile(query, 90).toFixed(1), "1.00", `${points} points of 6 h, n=${query.length}`],
          ["peer: rrdtool xport --json (averages only, a process per query)", percentile(xport, 50).toFixed(1), percentile(xport, 10).toFixed(1), percentile(xport, 90).toFixed(1), (percentile(xport, 50) / percentile(query, 50)).toFixed(2), `n=${xport.length}`],
        ],
        notes: [`filled with ${Math.round((366 * 86400) / 30)} updates 30 s apart by rrdtool update in ${fillSec.toFixed(0)} s`],
      },
    ];
    return tables;
  } finally {
    await sampler?.stop().catch(() => undefined);
    if (sampler) await stopDaemon(sampler.history).catch(() => undefined);
    for (const pid of sleepers) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        /* gone */
      }
    }
    await host.cleanup();
  }
}
