/**
 * The usage sampler's view of a group: the dozen counters it records every 10 s, read
 * from the few files that hold them — no walk of the group's processes (that walk is
 * what makes {@link Cgroups.usage} cost milliseconds on a v1 host with a dozen
 * hierarchies). Files are read synchronously into one reused buffer: cgroupfs files are
 * kernel state, never disk I/O, so a read returns in microseconds, and a thread-pool
 * round trip per file would cost more than the read itself at 1000 servers.
 */
import fs from "node:fs";
import path from "node:path";
import type { Cgroups } from "./types";
import { readSmallFile, smallFileBuffer as buffer } from "../read-small-file";

/** Cumulative counters and gauges of one group; null where the host lacks the controller. */
export interface GroupCounters {
  /** CPU time used (µs, cumulative). */
  cpuUsec: number | null;
  /** Time the group was held back by its CPU quota (µs, cumulative). */
  cpuThrottledUsec: number | null;
  memoryBytes: number | null;
  /** High-water mark of memory since the group was made (null: v2 before 5.19). */
  memoryPeakBytes: number | null;
  swapBytes: number | null;
  /** Tasks (processes and threads). */
  tasks: number | null;
  ioReadBytes: number | null;
  ioWriteBytes: number | null;
  ioReadOps: number | null;
  ioWriteOps: number | null;
  /** Processes the OOM killer killed in the group (cumulative). */
  oomKills: number | null;
}

function intOf(text: string | null): number | null {
  if (text === null) return null;
  const v = Number(text.trim());
  return Number.isFinite(v) ? v : null;
}

/** The value of `key` in a flat-keyed file ("key value" lines), or null. */
export function keyedValue(text: string | null, key: string): number | null {
  if (text === null) return null;
  const at = text.startsWith(`${key} `) ? 0 : text.indexOf(`\n${key} `);
  if (at < 0) return null;
  const start = at === 0 ? key.length + 1 : at + key.length + 2;
  const end = text.indexOf("\n", start);
  const v = Number(text.slice(start, end < 0 ? undefined : end));
  return Number.isFinite(v) ? v : null;
}

/** Sums "MAJ:MIN Read N" / "MAJ:MIN Write N" lines (blkio.throttle.*_recursive). */
export function sumV1Blkio(text: string | null): { read: number; write: number } | null {
  if (text === null) return null;
  let read = 0;
  let write = 0;
  for (const line of text.split("\n")) {
    const parts = line.split(" ");
    if (parts.length !== 3) continue;
    if (parts[1] === "Read") read += Number(parts[2]);
    else if (parts[1] === "Write") write += Number(parts[2]);
  }
  return { read, write };
}

/** Sums rbytes/wbytes/rios/wios over the devices of a v2 io.stat. */
export function sumV2IoStat(text: string | null): { rbytes: number; wbytes: number; rios: number; wios: number } | null {
  if (text === null) return null;
  const sum = { rbytes: 0, wbytes: 0, rios: 0, wios: 0 };
  for (const line of text.split("\n")) {
    for (const field of line.split(" ").slice(1)) {
      const eq = field.indexOf("=");
      const key = field.slice(0, eq) as keyof typeof sum;
      if (key in sum) sum[key] += Number(field.slice(eq + 1));
    }
  }
  return sum;
}

/** Directories of a group per controller, resolved once per server and reused. */
export interface CounterDirs {
  version: "v1" | "v2";
  cpu: string | null;
  cpuacct: string | null;
  memory: string | null;
  pids: string | null;
  io: string | null;
}

/** Where `name`'s counters live on this host. */
export function counterDirs(cg: Cgroups, name: string): CounterDirs {
  if (cg.version === "v2") {
    const dir = cg.controllerDir(name, "cpu");
    return { version: "v2", cpu: dir, cpuacct: dir, memory: cg.controllerDir(name, "memory"), pids: cg.controllerDir(name, "pids"), io: cg.controllerDir(name, "io") };
  }
  return {
    version: "v1",
    cpu: cg.controllerDir(name, "cpu"),
    cpuacct: cg.controllerDir(name, "cpuacct"),
    memory: cg.controllerDir(name, "memory"),
    pids: cg.controllerDir(name, "pids"),
    io: cg.controllerDir(name, "blkio"),
  };
}

/** Reads one whole small file (null when it cannot be read). */
export type FileReader = (file: string) => string | null;

/**
 * A reader that keeps each file open and reads it again from offset 0 (cgroupfs and
 * procfs regenerate the text on every read from the start): two syscalls and a path
 * walk less per file and sample. A file that fails (its group was removed and made
 * again by a restart) is opened afresh once. `close()` gives every descriptor back.
 */
export class OpenFileReader {
  private fds = new Map<string, number>();

  /** The reader function. */
  readonly read: FileReader = (file) => {
    let fd = this.fds.get(file);
    for (let attempt = 0; attempt < 2; attempt++) {
      if (fd === undefined) {
        try {
          fd = fs.openSync(file, "r");
        } catch {
          return null;
        }
        this.fds.set(file, fd);
      }
      try {
        const n = fs.readSync(fd, buffer, 0, buffer.length, 0);
        return buffer.toString("latin1", 0, n);
      } catch {
        fs.closeSync(fd);
        this.fds.delete(file);
        fd = undefined;
      }
    }
    return null;
  };

  /** Closes every file. */
  close(): void {
    for (const fd of this.fds.values()) fs.closeSync(fd);
    this.fds.clear();
  }
}

function readV1(d: CounterDirs, reader: FileReader): GroupCounters {
  const read = (dir: string | null, file: string) => (dir === null ? null : reader(path.join(dir, file)));
  const usageNs = intOf(read(d.cpuacct, "cpuacct.usage"));
  const throttledNs = keyedValue(read(d.cpu, "cpu.stat"), "throttled_time");
  const memory = intOf(read(d.memory, "memory.usage_in_bytes"));
  const memsw = intOf(read(d.memory, "memory.memsw.usage_in_bytes"));
  const bytes = sumV1Blkio(read(d.io, "blkio.throttle.io_service_bytes_recursive"));
  const ops = sumV1Blkio(read(d.io, "blkio.throttle.io_serviced_recursive"));
  return {
    cpuUsec: usageNs === null ? null : Math.floor(usageNs / 1000),
    cpuThrottledUsec: throttledNs === null ? null : Math.floor(throttledNs / 1000),
    memoryBytes: memory,
    memoryPeakBytes: intOf(read(d.memory, "memory.max_usage_in_bytes")),
    swapBytes: memsw === null || memory === null ? null : Math.max(0, memsw - memory),
    tasks: intOf(read(d.pids, "pids.current")),
    ioReadBytes: bytes?.read ?? null,
    ioWriteBytes: bytes?.write ?? null,
    ioReadOps: ops?.read ?? null,
    ioWriteOps: ops?.write ?? null,
    oomKills: keyedValue(read(d.memory, "memory.oom_control"), "oom_kill"),
  };
}

function readV2(d: CounterDirs, reader: FileReader): GroupCounters {
  const read = (dir: string | null, file: string) => (dir === null ? null : reader(path.join(dir, file)));
  const cpu = read(d.cpu, "cpu.stat");
  const io = sumV2IoStat(read(d.io, "io.stat"));
  return {
    cpuUsec: keyedValue(cpu, "usage_usec"),
    cpuThrottledUsec: keyedValue(cpu, "throttled_usec"),
    memoryBytes: intOf(read(d.memory, "memory.current")),
    memoryPeakBytes: intOf(read(d.memory, "memory.peak")),
    swapBytes: intOf(read(d.memory, "memory.swap.current")),
    tasks: intOf(read(d.pids, "pids.current")),
    ioReadBytes: io?.rbytes ?? null,
    ioWriteBytes: io?.wbytes ?? null,
    ioReadOps: io?.rios ?? null,
    ioWriteOps: io?.wios ?? null,
    oomKills: keyedValue(read(d.memory, "memory.events"), "oom_kill"),
  };
}

/** Reads the counters; null when the group is gone (the server stopped meanwhile). */
export function readGroupCounters(d: CounterDirs, reader: FileReader = readSmallFile): GroupCounters | null {
  const c = d.version === "v2" ? readV2(d, reader) : readV1(d, reader);
  return c.cpuUsec === null && c.memoryBytes === null && c.tasks === null ? null : c;
}
