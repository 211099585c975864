/** `listProcesses` (vps for the API): process rows with their context and server. */
import os from "node:os";
import fs from "node:fs";
import type { HostPaths } from "../../config/paths";
import { readProcTable } from "./proc-table";
import type { z } from "zod";
import type { processRow } from "@/lib/protocol/vservers";

/** A row as the wire contract describes it (`processRow`). */
export type ProcessRowOut = z.infer<typeof processRow>;

function userNames(): Map<number, string> {
  const m = new Map<number, string>();
  try {
    for (const line of fs.readFileSync("/etc/passwd", "utf8").split("\n")) {
      const [n, , uid] = line.split(":");
      if (n && uid) m.set(Number(uid), n);
    }
  } catch {
    /* numeric ids then */
  }
  return m;
}

/** What a caller may read. */
export interface ListProcessesOptions {
  /** Host processes' (context 0) command lines; without it they show their name only:
   * arguments carry secrets (`psql postgresql://user:password@…`) support must not see. */
  hostCommandLines?: boolean;
}

/** Every process (or those of one server). User names are the host's, for host uids;
 * `guestUid` is the uid inside the server (its own range when it has a user namespace).
 * Processes of servers always carry their command lines (support needs them). */
export async function listProcesses(paths: HostPaths, name?: string, options: ListProcessesOptions = {}): Promise<ProcessRowOut[]> {
  const uptime = os.uptime();
  const bootMs = Date.now() - uptime * 1000;
  const users = userNames();
  return (await readProcTable(paths, name)).map((p) => {
    const cpu = p.utimeSec + p.stimeSec;
    const age = Math.max(uptime - p.startSec, 0.01);
    return {
      pid: p.pid,
      ppid: p.ppid,
      context: p.context,
      vserver: p.vserver,
      guestPid: p.guestPid,
      user: users.get(p.uid) ?? String(p.uid),
      uid: p.uid,
      guestUid: p.guestUid,
      state: p.state,
      cpuPercent: Math.round((cpu / age) * 1000) / 10,
      rssBytes: p.rssBytes,
      vszBytes: p.vszBytes,
      startedAt: new Date(bootMs + p.startSec * 1000).toISOString(),
      cpuTimeSec: cpu,
      command: (p.context === 0 && !options.hostCommandLines ? p.name : p.command).slice(0, 4096),
    };
  });
}
