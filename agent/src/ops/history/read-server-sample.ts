/**
 * One server's sample: its run (from state.json, re-parsed only when the file changes),
 * its cgroup counters (files kept open while the run lasts), its veth's counters from
 * this sweep's /proc/net/dev, and its disk usage (read at most once a minute: space moves
 * slowly and a quota query is not free).
 */
import fs from "node:fs";
import path from "node:path";
import type { HostPaths } from "../../config/paths";
import type { Cgroups } from "../../kernel/cgroup";
import { counterDirs, OpenFileReader, readGroupCounters, type CounterDirs, type GroupCounters } from "../../kernel/cgroup/sample-counters";
import type { LinkCounters } from "../../kernel/host/host-counters";
import { hostLinkName } from "../../kernel/net/naming";
import { diskModeOf } from "../disk/disk-area";
import { readDiskState } from "../limits/read-usage";
import { processAlive, readRunState, runStateFile, type RunState } from "../runtime/run-state";

/** What one server gave in one sweep (raw cumulative counters, not rates). */
export interface RawServerSample {
  name: string;
  /** `<initPid>:<initStartTime>`: a new run restarts every counter. */
  run: string;
  cgroup: GroupCounters;
  /** As the server sees it: rx = received by the server. */
  net: LinkCounters | null;
  disk: { bytes: number; inodes: number } | null;
}

interface Cached {
  mtimeMs: number;
  state: RunState | null;
  dirs: CounterDirs | null;
  /** The group's counter files, kept open while this run lasts. */
  files: OpenFileReader;
  disk: { at: number; value: { bytes: number; inodes: number } | null; pending: boolean } | null;
}

/**
 * Disk usage for the history. A loop image mounted on the root is measured with one
 * statfs (what the guest's df shows) instead of the mount-table walk readDiskUsage makes
 * to prove which image is mounted: at 1000 servers that walk would cost more than all
 * the other counters together. Project mode asks the quota (one quotactl).
 */
async function readSampleDisk(paths: HostPaths, name: string, root: string): Promise<{ bytes: number; inodes: number } | null> {
  const mode = diskModeOf(paths, name);
  if (mode === "none") return null;
  if (mode === "loop") {
    const here = fs.statSync(root, { throwIfNoEntry: false });
    const parent = fs.statSync(path.dirname(root), { throwIfNoEntry: false });
    if (!here || !parent || here.dev === parent.dev) return null; // not mounted: nothing in use now
    const s = fs.statfsSync(root);
    return { bytes: (s.blocks - s.bfree) * s.bsize, inodes: s.files - s.ffree };
  }
  const d = await readDiskState(paths, name);
  return d ? { bytes: d.bytesUsed, inodes: d.inodesUsed } : null;
}

/** Per-server caches of one sampler. */
export class ServerSampleReader {
  private cache = new Map<string, Cached>();

  constructor(
    private readonly paths: HostPaths,
    private readonly diskEveryMs = 60_000,
  ) {}

  private runOf(name: string): Cached | null {
    const st = fs.statSync(runStateFile(this.paths, name), { throwIfNoEntry: false });
    if (!st) {
      this.forget(name);
      return null;
    }
    let c = this.cache.get(name);
    if (!c || c.mtimeMs !== st.mtimeMs) {
      c?.files.close();
      c = { mtimeMs: st.mtimeMs, state: readRunState(this.paths, name), dirs: null, files: new OpenFileReader(), disk: c?.disk ?? null };
      this.cache.set(name, c);
    }
    return c;
  }

  /** The server's sample, or null when it does not run. */
  read(name: string, cg: Cgroups, net: Map<string, LinkCounters>, nowMs: number): RawServerSample | null {
    const c = this.runOf(name);
    if (!c?.state || c.state.oneShot) return null;
    c.dirs ??= counterDirs(cg, name);
    const cgroup = readGroupCounters(c.dirs, c.files.read);
    // An empty group has no init: the run ended (its clean-up may still be under way). The
    // task count answers that without a /proc read per server; without the pids
    // controller, the init is looked up.
    if (!cgroup || cgroup.tasks === 0 || (cgroup.tasks === null && !processAlive(c.state.initPid, c.state.initStartTime))) {
      c.files.close();
      return null;
    }
    const link = c.state.network ? net.get(hostLinkName(c.state.context)) : undefined;
    this.refreshDisk(name, c, nowMs);
    return {
      name,
      run: `${c.state.initPid}:${c.state.initStartTime}`,
      cgroup,
      // The host side's transmit is what the server received.
      net: link ? { rxBytes: link.txBytes, rxPackets: link.txPackets, txBytes: link.rxBytes, txPackets: link.rxPackets } : null,
      disk: c.disk?.value ?? null,
    };
  }

  private refreshDisk(name: string, c: Cached, nowMs: number): void {
    if (c.disk && (c.disk.pending || nowMs - c.disk.at < this.diskEveryMs)) return;
    const entry = { at: nowMs, value: c.disk?.value ?? null, pending: true };
    c.disk = entry;
    readSampleDisk(this.paths, name, c.state!.root).then(
      (d) => {
        entry.value = d;
        entry.pending = false;
      },
      () => {
        entry.pending = false;
      },
    );
  }

  private forget(name: string): void {
    this.cache.get(name)?.files.close();
    this.cache.delete(name);
  }

  /** Forgets servers not in `names` (deleted ones). */
  keepOnly(names: Set<string>): void {
    for (const name of [...this.cache.keys()]) if (!names.has(name)) this.forget(name);
  }

  /** Closes every kept file (the sampler stops). */
  close(): void {
    for (const name of [...this.cache.keys()]) this.forget(name);
  }
}
