/**
 * Tears down what a start made, in an order that is safe at every instant: every
 * process of the server dies first (atomically, through the cgroup freezer), then its
 * network goes (the filter last, see kernel/net/detach.ts), then the cgroup and the run
 * state. Every step tolerates "already gone", so it also cleans up after a crashed
 * agent, a half-failed start or an init that exited on its own.
 */
import fs from "node:fs";
import type { HostPaths } from "../../config/paths";
import { readVserverCounters } from "../../kernel/net";
import { recordFinalTraffic } from "../history/traffic-ledger";
import { detachServerNetwork } from "../network/server-network";
import { hostCgroups } from "./host-cgroups";
import { removeRunState, type RunState } from "./run-state";

/** rmdir of each group directory (deepest hierarchy order does not matter in v1); false
 * as soon as one is busy or has child groups, leaving the rest to the full path. */
function removeIfEmpty(dirs: string[]): boolean {
  for (const dir of dirs) {
    try {
      fs.rmdirSync(dir);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== "ENOENT") return false;
    }
  }
  return true;
}

async function keepFinalTraffic(paths: HostPaths, name: string, ctx: number, run: string): Promise<void> {
  try {
    const c = await readVserverCounters(ctx);
    recordFinalTraffic(paths, name, { run, rxBytes: c.rxBytes, txBytes: c.txBytes });
  } catch {
    // no veth left (a half-made start): nothing to count
  }
}

/** Kills what is left of the server and removes its cgroup, network and run state. */
export async function cleanupRun(paths: HostPaths, name: string, state: (Pick<RunState, "context" | "network"> & Partial<Pick<RunState, "initPid" | "initStartTime">>) | null): Promise<void> {
  const cg = await hostCgroups();
  // An init that ended took its pid namespace with it, so the group is usually empty:
  // then one rmdir per hierarchy is all it takes. EBUSY means processes are left.
  const emptied = removeIfEmpty(cg.dirs(name));
  if (!emptied && (await cg.exists(name))) await cg.killAll(name, "SIGKILL");
  // The run's last traffic counts for billing: kept before the veth (and its counters) goes.
  if (state?.network && state.initPid) await keepFinalTraffic(paths, name, state.context, `${state.initPid}:${state.initStartTime}`);
  // Also releases the host's network setup when this was the last attached server.
  if (state?.network) await detachServerNetwork(paths, state.context);
  if (!emptied) await cg.remove(name, { kill: true });
  removeRunState(paths, name);
}
