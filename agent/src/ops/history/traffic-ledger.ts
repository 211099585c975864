/**
 * Each server's traffic since it was built, for billing: the host-side veth counters start
 * at zero with every start of the server, so the ledger adds what each run's counters
 * grew by. It remembers the last raw value it counted per run (named by the init's pid
 * and start time), and is saved every minute and at shutdown: an agent that restarts
 * while the server runs on counts on from the saved raw value, so nothing is lost or
 * counted twice. A server that stops leaves its final counters in its run directory
 * (written before its veth goes, see {@link recordFinalTraffic}); the ledger takes them
 * in and removes the file only after it has saved itself.
 */
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import type { HostPaths } from "../../config/paths";
import { serverRunDir } from "../../config/vserver/layout";
import { writeAtomic } from "../../config/vserver/value-files";

/** Raw counters of one run of a server's veth. */
export interface RunCounters {
  /** Which run: `<initPid>:<initStartTime>`. */
  run: string;
  rxBytes: number;
  txBytes: number;
}

const entrySchema = z.object({
  rxBytes: z.number().nonnegative(),
  txBytes: z.number().nonnegative(),
  updatedAt: z.string(),
  /** The run counted last and its raw counters at that moment; null after its end. */
  last: z.object({ run: z.string(), rxBytes: z.number(), txBytes: z.number() }).nullable(),
  /** The last run whose final counters were taken in (so a file seen twice counts once). */
  closed: z.string().nullable().default(null),
});
const ledgerSchema = z.object({ version: z.literal(1), servers: z.record(z.string(), entrySchema) });

/** One server's entry. */
export type LedgerEntry = z.infer<typeof entrySchema>;

const finalFile = (paths: HostPaths, name: string) => path.join(serverRunDir(paths, name), "traffic-final.json");

/**
 * Called as a server's run is cleaned up, before its veth is removed, by whichever
 * process does it (the agent, or the CLI's exit hook): leaves the run's last counters
 * where the ledger finds them.
 */
export function recordFinalTraffic(paths: HostPaths, name: string, counters: RunCounters): void {
  writeAtomic(finalFile(paths, name), `${JSON.stringify(counters)}\n`, 0o600);
}

/** The traffic ledger of one host. */
export class TrafficLedger {
  private servers = new Map<string, LedgerEntry>();
  private dirty = false;
  /** Final-counter files taken in since the last save (removed once saved). */
  private absorbed: string[] = [];

  constructor(
    private readonly file: string,
    private readonly paths: HostPaths,
  ) {}

  /** Loads the saved ledger (a missing or unreadable one starts empty, and says so). */
  load(): { problem: string | null } {
    let text: string;
    try {
      text = fs.readFileSync(this.file, "utf8");
    } catch {
      return { problem: null };
    }
    const parsed = ledgerSchema.safeParse((() => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        return null;
      }
    })());
    if (!parsed.success) return { problem: `${this.file} is unreadable; traffic counting starts again from zero` };
    this.servers = new Map(Object.entries(parsed.data.servers));
    return { problem: null };
  }

  private add(name: string, c: RunCounters): void {
    const e = this.servers.get(name) ?? { rxBytes: 0, txBytes: 0, updatedAt: new Date().toISOString(), last: null, closed: null };
    const same = e.last?.run === c.run && c.rxBytes >= e.last.rxBytes && c.txBytes >= e.last.txBytes;
    const rx = same ? c.rxBytes - e.last!.rxBytes : c.rxBytes;
    const tx = same ? c.txBytes - e.last!.txBytes : c.txBytes;
    if (rx > 0 || tx > 0 || !same) this.dirty = true;
    e.rxBytes += rx;
    e.txBytes += tx;
    e.updatedAt = new Date().toISOString();
    e.last = { run: c.run, rxBytes: c.rxBytes, txBytes: c.txBytes };
    this.servers.set(name, e);
  }

  /** Counts a running server's current raw counters (a run already closed is not counted again). */
  count(name: string, c: RunCounters): void {
    if (this.servers.get(name)?.closed === c.run) return;
    this.add(name, c);
  }

  /** Takes in the final counters a stopped run left (once per run). */
  absorbFinal(name: string): void {
    const file = finalFile(this.paths, name);
    let c: RunCounters;
    try {
      c = JSON.parse(fs.readFileSync(file, "utf8")) as RunCounters;
    } catch {
      return;
    }
    if (typeof c?.run !== "string" || typeof c.rxBytes !== "number" || typeof c.txBytes !== "number") return;
    if (this.servers.get(name)?.closed !== c.run) {
      this.add(name, c);
      const e = this.servers.get(name)!;
      e.last = null;
      e.closed = c.run;
      this.dirty = true;
    }
    if (!this.absorbed.includes(file)) this.absorbed.push(file);
  }

  /** Forgets servers that no longer exist on the host. */
  prune(existing: Set<string>): void {
    for (const name of this.servers.keys()) {
      if (!existing.has(name)) {
        this.servers.delete(name);
        this.dirty = true;
      }
    }
  }

  /** Saves when something changed, then removes the final-counter files it took in. */
  save(): void {
    if (this.dirty) {
      fs.mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
      writeAtomic(this.file, `${JSON.stringify({ version: 1, servers: Object.fromEntries(this.servers) })}\n`, 0o600);
      this.dirty = false;
    }
    for (const f of this.absorbed.splice(0)) fs.rmSync(f, { force: true });
  }

  /** Every server's totals. */
  totals(): { name: string; rxBytes: number; txBytes: number; updatedAt: string }[] {
    return [...this.servers].map(([name, e]) => ({ name, rxBytes: e.rxBytes, txBytes: e.txBytes, updatedAt: e.updatedAt })).sort((a, b) => a.name.localeCompare(b.name));
  }
}
