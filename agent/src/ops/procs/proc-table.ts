/**
 * Every process on the host with the vserver it belongs to, read from /proc. A process
 * belongs to a server when its cgroup (any v1 hierarchy or the v2 path) lies under
 * `<parent>/<name>`: the start helper puts the init there before exec and everything
 * in the guest inherits it. Host processes are context 0, "MAIN".
 */
import fs from "node:fs";
import type { HostPaths } from "../../config/paths";
import { usedContexts } from "../../config/vserver/context-ids";
import { hostCgroups } from "../runtime/host-cgroups";
import { readSmallFile } from "../../kernel/read-small-file";

/** One process. Times in clock ticks are converted to seconds. */
export interface ProcEntry {
  pid: number;
  ppid: number;
  state: string;
  uid: number;
  /** The uid inside its server (through the server's uid map), null on the host. */
  guestUid: number | null;
  guestPid: number | null;
  utimeSec: number;
  stimeSec: number;
  /** Seconds since boot at which it started. */
  startSec: number;
  vszBytes: number;
  rssBytes: number;
  /** The command line, arguments joined by spaces (`[name]` for a kernel thread). */
  command: string;
  /** The kernel's name of the process (`comm`, at most 15 bytes; `[name]` for a kernel
   * thread): what a host process shows to those who may not read its arguments. */
  name: string;
  context: number;
  vserver: string;
}

const TICKS = 100;
const PAGE = 4096;

/** A /proc file read through the agent's one small-file buffer; undefined when the process is gone. */
function readOr(file: string): string | undefined {
  return readSmallFile(file, "whole") ?? undefined;
}

/** The server name in a /proc/PID/cgroup text, given the parent group. */
export function serverOfCgroup(text: string, parent: string): string | null {
  const prefix = `/${parent}/`;
  for (const line of text.split("\n")) {
    const p = line.slice(line.indexOf(":", line.indexOf(":") + 1) + 1);
    if (p.startsWith(prefix)) return p.slice(prefix.length).split("/")[0] || null;
  }
  return null;
}

/**
 * A host uid as the process's own user namespace sees it (/proc/PID/uid_map: "inside
 * outside count" lines); null when unmapped there. With shared uids the map is the
 * identity and the guest uid is the host uid.
 */
export function guestUidOf(uidMap: string, hostUid: number): number | null {
  for (const line of uidMap.split("\n")) {
    const [inside, outside, count] = line.trim().split(/\s+/).map(Number);
    if (inside === undefined || outside === undefined || count === undefined || Number.isNaN(count)) continue;
    if (hostUid >= outside && hostUid < outside + count) return inside + (hostUid - outside);
  }
  return null;
}

/** Reads every process; `only` limits the result to one server. */
export async function readProcTable(paths: HostPaths, only?: string): Promise<ProcEntry[]> {
  const parent = (await hostCgroups()).parent;
  const contexts = new Map<string, number>([...usedContexts(paths)].map(([ctx, name]) => [name, ctx]));
  const out: ProcEntry[] = [];
  for (const d of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    const stat = readOr(`/proc/${d}/stat`);
    const cgroup = readOr(`/proc/${d}/cgroup`);
    if (stat === undefined || cgroup === undefined) continue;
    const server = serverOfCgroup(cgroup, parent);
    if (only !== undefined && server !== only) continue;
    const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const status = readOr(`/proc/${d}/status`) ?? "";
    const uid = Number(/^Uid:\s+(\d+)/m.exec(status)?.[1] ?? 0);
    const nspids = (/^NSpid:\s+(.*)$/m.exec(status)?.[1] ?? "").trim().split(/\s+/);
    const cmdline = (readOr(`/proc/${d}/cmdline`) ?? "").replace(/\0+$/, "").replace(/\0/g, " ");
    out.push({
      pid: Number(d),
      ppid: Number(f[1]),
      state: f[0] ?? "?",
      uid,
      guestUid: server ? guestUidOf(readOr(`/proc/${d}/uid_map`) ?? "", uid) : null,
      guestPid: server && nspids.length > 1 ? Number(nspids[nspids.length - 1]) : null,
      utimeSec: Number(f[11]) / TICKS,
      stimeSec: Number(f[12]) / TICKS,
      startSec: Number(f[19]) / TICKS,
      vszBytes: Number(f[20]),
      rssBytes: Number(f[21]) * PAGE,
      command: cmdline || `[${comm}]`,
      name: cmdline ? comm : `[${comm}]`,
      context: server ? (contexts.get(server) ?? -1) : 0,
      vserver: server ?? "MAIN",
    });
  }
  return out;
}
