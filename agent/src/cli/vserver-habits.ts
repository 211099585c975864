/**
 * util-vserver's `vserver NAME status | running | condrestart | suexec` (verbs of
 * `vserver`, see vserver-command.ts). `status` and `running` only read: they import
 * nothing of the start path, so the read-only bundle (read-entry.ts) stays small.
 */
import { readDesired } from "../config/vserver/desired-file";
import { configExists } from "../config/vserver/read-config";
import { configFiles } from "../config/vserver/layout";
import { AgentFailure } from "../errors";
import { countProcesses } from "../ops/procs/count-processes";
import { runningState } from "../ops/lifecycle/server-status";
import { exitSummary, readLastExit } from "../ops/lifecycle/exit-record";
import { say } from "./cli-output";
import { EXIT } from "./exit-codes";
import { desiredLine, runningStatusLines } from "./format";
import type { HostPaths } from "../config/paths";

function mustExist(paths: HostPaths, name: string): void {
  if (!configExists(paths, name)) throw new AgentFailure("NOT_FOUND", `no vserver named "${name}"`, "name");
}

/** `status`: 0 running (with its context, processes and uptime), 3 stopped; 5 unknown. Then the desired state and the last exit of its own. */
export function statusCommand(paths: HostPaths, name: string): number {
  mustExist(paths, name);
  const state = runningState(paths, name);
  if (state) {
    const uptime = Math.max(0, (Date.now() - Date.parse(state.startedAt)) / 1000);
    say(runningStatusLines(name, state.context, countProcesses(state.cgroupProcs), uptime).trimEnd());
  } else {
    say(`Vserver '${name}' is stopped`);
  }
  const desired = readDesired(configFiles(paths, name).desired);
  if (desired) say(desiredLine(desired));
  const last = readLastExit(paths, name);
  if (last) say(`Last exit: ${exitSummary(last)}`);
  return state ? EXIT.OK : EXIT.STOPPED;
}

/** `running`: 0 when running, 1 when not, no output (util-vserver's); 5 unknown. */
export function runningCommand(paths: HostPaths, name: string): number {
  mustExist(paths, name);
  return runningState(paths, name) ? EXIT.OK : EXIT.FAILED;
}
