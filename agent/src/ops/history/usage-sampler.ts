/**
 * The usage sampler of one host: every 10 s it reads each running server's counters and
 * the host's totals, sends them to rrdcached in one BATCH (the history), keeps the latest
 * rates in memory (live graphs, Prometheus, the panel's checks) and counts traffic in the
 * ledger (billing). One sweep is synchronous reads of small kernel files; its cost is
 * measured by bench/metrics.ts.
 */
import fs from "node:fs";
import path from "node:path";
import type { HostPaths } from "../../config/paths";
import { listServerNames } from "../../config/vserver/layout";
import type { Cgroups } from "../../kernel/cgroup";
import { readHostCounters, readNetDev, type HostCounters } from "../../kernel/host/host-counters";
import { log } from "../../http/log";
import { hostCgroups } from "../runtime/host-cgroups";
import { hostRrdName, historyPaths, serverRrdName, type HistoryPaths } from "./history-paths";
import { ServerSampleReader, type RawServerSample } from "./read-server-sample";
import { createArgs, hostSources, serverSources, stepSec, updateArg, type Source } from "./rrd-schema";
import { RrdcachedClient } from "./rrdcached-client";
import { ensureDaemon, type DaemonTiming } from "./rrdcached-daemon";
import { TrafficLedger } from "./traffic-ledger";

/** The latest values of one subject (rates per second over the last interval). */
export interface LatestSample {
  at: number;
  values: Record<string, number | null>;
}

/** Sampler settings (tests shorten them). */
export interface SamplerOptions {
  intervalMs?: number;
  diskEveryMs?: number;
  ledgerEveryMs?: number;
  timing?: DaemonTiming;
}

type Raw = Record<string, number | null>;

function serverRaw(s: RawServerSample): Raw {
  const c = s.cgroup;
  return {
    cpu: c.cpuUsec,
    cpuThrottled: c.cpuThrottledUsec,
    memory: c.memoryBytes,
    memoryPeak: c.memoryPeakBytes,
    swap: c.swapBytes,
    tasks: c.tasks,
    ioReadBytes: c.ioReadBytes,
    ioWriteBytes: c.ioWriteBytes,
    ioReadOps: c.ioReadOps,
    ioWriteOps: c.ioWriteOps,
    netRxBytes: s.net?.rxBytes ?? null,
    netTxBytes: s.net?.txBytes ?? null,
    netRxPackets: s.net?.rxPackets ?? null,
    netTxPackets: s.net?.txPackets ?? null,
    diskBytes: s.disk?.bytes ?? null,
    diskInodes: s.disk?.inodes ?? null,
    oomKills: c.oomKills,
  };
}

function hostRaw(h: HostCounters, servers: number): Raw {
  return {
    cpu: h.cpuTicks - h.cpuIdleTicks,
    memoryUsed: h.memoryUsedBytes,
    memoryTotal: h.memoryTotalBytes,
    swapUsed: h.swapUsedBytes,
    load1: h.load1,
    netRxBytes: h.netRxBytes,
    netTxBytes: h.netTxBytes,
    netRxPackets: h.netRxPackets,
    netTxPackets: h.netTxPackets,
    ioReadBytes: h.ioReadBytes,
    ioWriteBytes: h.ioWriteBytes,
    ioReadOps: h.ioReadOps,
    ioWriteOps: h.ioWriteOps,
    diskUsed: h.diskUsedBytes,
    diskTotal: h.diskTotalBytes,
    servers,
  };
}

/** Rates from two raw samples: counters (DERIVE sources) per second, gauges as they are. */
function ratesOf(sources: Record<string, { kind: string; scale: number }>, now: Raw, nowSec: number, before: { raw: Raw; at: number } | undefined): Raw {
  const out: Raw = {};
  for (const [metric, s] of Object.entries(sources)) {
    const v = now[metric] ?? null;
    if (s.kind === "GAUGE") out[metric] = v;
    else {
      const b = before?.raw[metric] ?? null;
      const dt = before ? nowSec - before.at : 0;
      out[metric] = v === null || b === null || dt <= 0 || v < b ? null : ((v - b) / dt) * s.scale;
    }
  }
  return out;
}

/** The sampler of one host. */
export class UsageSampler {
  readonly history: HistoryPaths;
  readonly client: RrdcachedClient;
  readonly ledger: TrafficLedger;
  private readonly reader: ServerSampleReader;
  private readonly opts: Required<Omit<SamplerOptions, "timing">> & { timing?: DaemonTiming };
  private timer: NodeJS.Timeout | null = null;
  private created = new Set<string>();
  private lastUpdate = new Map<string, number>();
  /** The last raw counters per server (cumulative since its start), and the host's. */
  readonly previous = new Map<string, { raw: Raw; at: number; run: string }>();
  hostPrevious: { raw: Raw; at: number } | undefined;
  private ledgerSavedAt = 0;
  private sweeping: Promise<void> | null = null;
  /** The latest rates per server, and the host's. */
  readonly latest = new Map<string, LatestSample>();
  hostLatest: LatestSample | null = null;

  constructor(
    readonly paths: HostPaths,
    options: SamplerOptions = {},
  ) {
    // AGENT_SAMPLE_INTERVAL_MS: tests sample more often than the 10 s step (RRDtool averages
    // several updates within one step correctly).
    const fromEnv = Number(process.env.AGENT_SAMPLE_INTERVAL_MS);
    const intervalMs = Number.isInteger(fromEnv) && fromEnv >= 500 ? fromEnv : stepSec * 1000;
    this.opts = { intervalMs, diskEveryMs: Math.min(60_000, intervalMs * 6), ledgerEveryMs: Math.min(60_000, intervalMs * 6), ...options };
    this.history = historyPaths(paths);
    this.client = new RrdcachedClient(this.history.socket);
    this.ledger = new TrafficLedger(this.history.ledgerFile, paths);
    this.reader = new ServerSampleReader(paths, this.opts.diskEveryMs);
  }

  /** The sampling interval in seconds. */
  get intervalSec(): number {
    return Math.round(this.opts.intervalMs / 1000);
  }

  /** Starts rrdcached (or adopts it), loads the ledger and samples every interval. */
  async start(): Promise<void> {
    await ensureDaemon(this.history, this.opts.timing);
    const { problem } = this.ledger.load();
    if (problem) log("warn", problem);
    await this.sweep();
    this.timer = setInterval(() => void this.sweep(), this.opts.intervalMs);
  }

  /** Stops sampling and saves the ledger (rrdcached is left to the caller). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.sweeping;
    this.ledger.save();
    this.client.close();
    this.reader.close();
  }

  /** One sweep (also called by tests and the bench); never throws. */
  sweep(): Promise<void> {
    this.sweeping ??= this.sweepOnce()
      .catch((error: unknown) => log("warn", "usage sampling failed", { error: String((error as Error)?.message ?? error) }))
      .finally(() => {
        this.sweeping = null;
      });
    return this.sweeping;
  }

  private async sweepOnce(): Promise<void> {
    const cg = await hostCgroups();
    const nowMs = Date.now();
    // Counters are read after nowMs: a sample stands at the next whole second, never earlier
    // than the reading, so what it counts is never put into the step before it happened.
    const nowSec = Math.ceil(nowMs / 1000);
    const net = readNetDev();
    const names = listServerNames(this.paths);
    const updates: string[] = [];
    const running = this.sampleServers(names, cg, net, nowMs, nowSec, updates);
    const host = hostRaw(readHostCounters(net, this.paths.rootDir), running);
    this.hostLatest = { at: nowSec, values: ratesOf(hostSources, host, nowSec, this.hostPrevious) };
    this.hostPrevious = { raw: host, at: nowSec };
    await this.ensureFile(hostRrdName, hostSources, nowSec);
    this.pushUpdate(updates, hostRrdName, hostSources, nowSec, host);
    const errors = updates.length ? await this.client.batch(updates) : [];
    if (errors.length) this.forgetCreatedOnError(errors, updates);
    if (nowMs - this.ledgerSavedAt >= this.opts.ledgerEveryMs) this.saveLedger(new Set(names));
  }

  private sampleServers(names: string[], cg: Cgroups, net: ReturnType<typeof readNetDev>, nowMs: number, nowSec: number, updates: string[]): number {
    let running = 0;
    const present = new Set(names);
    this.reader.keepOnly(present);
    for (const name of names) {
      const sample = this.reader.read(name, cg, net, nowMs);
      if (!sample) {
        this.latest.delete(name);
        this.previous.delete(name);
        this.ledger.absorbFinal(name);
        this.created.delete(serverRrdName(name)); // made again (or found) at its next start
        continue;
      }
      running++;
      if (sample.net) this.ledger.count(name, { run: sample.run, rxBytes: sample.net.rxBytes, txBytes: sample.net.txBytes });
      const raw = serverRaw(sample);
      const before = this.previous.get(name);
      this.latest.set(name, { at: nowSec, values: ratesOf(serverSources, raw, nowSec, before?.run === sample.run ? before : undefined) });
      this.previous.set(name, { raw, at: nowSec, run: sample.run });
      const file = serverRrdName(name);
      if (!this.created.has(file)) updates.push(`CREATE ${file} ${createArgs(serverSources, nowSec - stepSec).join(" ")}`);
      this.created.add(file);
      this.pushUpdate(updates, file, serverSources, nowSec, raw);
    }
    for (const name of this.latest.keys()) if (!present.has(name)) this.latest.delete(name);
    return running;
  }

  private pushUpdate(updates: string[], file: string, sources: Record<string, Source>, nowSec: number, raw: Raw): void {
    if ((this.lastUpdate.get(file) ?? 0) >= nowSec) return; // RRDtool refuses a time it already has
    this.lastUpdate.set(file, nowSec);
    updates.push(`UPDATE ${file} ${updateArg(sources, nowSec, raw)}`);
  }

  private async ensureFile(file: string, sources: Record<string, Source>, nowSec: number): Promise<void> {
    if (this.created.has(file)) return;
    const a = await this.client.command(`CREATE ${file} ${createArgs(sources, nowSec - stepSec).join(" ")}`);
    // -O: an existing file (an agent restart) is kept, which rrdcached answers with an error.
    if (a.status < 0 && !/exist/i.test(a.message)) throw new Error(`rrdcached CREATE ${file}: ${a.message}`);
    this.created.add(file);
  }

  /** A CREATE in a batch fails for an existing file (expected after a restart); others are logged once. */
  private forgetCreatedOnError(errors: string[], updates: string[]): void {
    for (const line of errors) {
      const n = Number(line.slice(0, line.indexOf(" "))) - 1;
      const cmd = updates[n] ?? "";
      if (cmd.startsWith("CREATE ") && /exist/i.test(line)) continue;
      if (cmd.startsWith("UPDATE ")) {
        this.lastUpdate.delete(cmd.split(" ")[1]!);
        this.created.delete(cmd.split(" ")[1]!);
      }
      log("warn", "rrdcached refused an update", { error: line.slice(0, 300) });
    }
  }

  private saveLedger(names: Set<string>): void {
    this.ledger.prune(names);
    try {
      this.ledger.save();
      this.ledgerSavedAt = Date.now();
    } catch (error) {
      log("warn", "cannot save the traffic ledger", { error: String((error as Error)?.message ?? error) });
    }
  }

  /** Removes history files of servers that no longer exist (a delete whose hook could not reach rrdcached). */
  async removeOrphanFiles(): Promise<string[]> {
    const dir = path.join(this.history.baseDir, "servers");
    const names = new Set(listServerNames(this.paths));
    const removed: string[] = [];
    for (const f of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
      const name = f.replace(/\.rrd$/, "");
      if (!f.endsWith(".rrd") || names.has(name)) continue;
      await this.client.command(`FORGET servers/${f}`).catch(() => undefined);
      fs.rmSync(path.join(dir, f), { force: true });
      this.created.delete(`servers/${f}`);
      removed.push(name);
    }
    return removed;
  }
}

let samplers = new Map<string, UsageSampler>();

/** The daemon's sampler for `paths` (null until started: the CLI never samples). */
export function runningSampler(paths: HostPaths): UsageSampler | null {
  return samplers.get(paths.runDir) ?? null;
}

/** Starts the daemon's sampler for `paths`. */
export async function startUsageSampler(paths: HostPaths, options: SamplerOptions = {}): Promise<UsageSampler> {
  const s = new UsageSampler(paths, options);
  await s.start();
  samplers = new Map(samplers).set(paths.runDir, s);
  return s;
}

/** Stops the daemon's sampler for `paths` (tests). */
export async function stopUsageSampler(paths: HostPaths): Promise<void> {
  const s = samplers.get(paths.runDir);
  samplers.delete(paths.runDir);
  await s?.stop();
}
