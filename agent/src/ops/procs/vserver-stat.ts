/**
 * `vserver-stat`: one line per running server (and the host as context 0):
 * processes, summed VSZ and RSS of its processes, user/system CPU time (the cgroup's
 * accounting, so it includes processes that have exited) and uptime.
 */
import os from "node:os";
import type { HostPaths } from "../../config/paths";
import { listServerNames } from "../../config/vserver/layout";
import { hostCgroups } from "../runtime/host-cgroups";
import { initAlive, readRunState } from "../runtime/run-state";
import { readProcTable } from "./proc-table";

/** One line of vserver-stat. */
export interface StatRow {
  context: number;
  name: string;
  processes: number;
  vszBytes: number;
  rssBytes: number;
  userTimeSec: number;
  systemTimeSec: number;
  uptimeSec: number;
}

/** The rows; the host's row ("root server", context 0) first when `withHost`. */
export async function vserverStat(paths: HostPaths, withHost = false): Promise<StatRow[]> {
  const procs = await readProcTable(paths);
  const cg = await hostCgroups();
  const rows: StatRow[] = [];
  const sum = (list: typeof procs) => ({
    processes: list.length,
    vszBytes: list.reduce((a, p) => a + p.vszBytes, 0),
    rssBytes: list.reduce((a, p) => a + p.rssBytes, 0),
  });
  if (withHost) {
    const host = procs.filter((p) => p.context === 0);
    rows.push({
      context: 0, name: "root server", ...sum(host),
      userTimeSec: host.reduce((a, p) => a + p.utimeSec, 0),
      systemTimeSec: host.reduce((a, p) => a + p.stimeSec, 0),
      uptimeSec: os.uptime(),
    });
  }
  for (const name of listServerNames(paths)) {
    const state = readRunState(paths, name);
    if (!state || !initAlive(state)) continue;
    const mine = procs.filter((p) => p.vserver === name);
    let user = mine.reduce((a, p) => a + p.utimeSec, 0);
    let system = mine.reduce((a, p) => a + p.stimeSec, 0);
    try {
      const u = await cg.usage(name);
      if (u.cpu) {
        user = u.cpu.userUsec / 1e6;
        system = u.cpu.systemUsec / 1e6;
      }
    } catch {
      /* per-process sums then */
    }
    rows.push({
      context: state.context, name, ...sum(mine),
      userTimeSec: user, systemTimeSec: system,
      uptimeSec: Math.max(0, (Date.now() - Date.parse(state.startedAt)) / 1000),
    });
  }
  return rows;
}
