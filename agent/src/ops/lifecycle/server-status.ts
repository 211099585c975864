/** Whether a server runs: its run state names an init that still exists. Read-only. */
import type { HostPaths } from "../../config/paths";
import { readVserverConfig } from "../../config/vserver/read-config";
import { initAlive, readRunState, type RunState } from "../runtime/run-state";

/** The live run state of `name`, or null when it is stopped (NOT_FOUND if it does not exist). */
export function serverStatus(paths: HostPaths, name: string): RunState | null {
  readVserverConfig(paths, name);
  return runningState(paths, name);
}

/** The run state if the init is alive (no config check: for listings). */
export function runningState(paths: HostPaths, name: string): RunState | null {
  const state = readRunState(paths, name);
  return state && initAlive(state) ? state : null;
}
