/**
 * What happens when a guest's init ends, with or without an agent: the monitor runs
 * `vserver NAME exit-hook` (hook-command.ts). If the run state still names that init,
 * the server is cleaned up (processes, network, cgroup, run state); if the guest asked
 * for a reboot (init killed by SIGHUP in its pid namespace) it is started again, unless
 * its `noreboot` flag says to stay stopped or its desired state is no longer "running"
 * (a suspension); a halt from inside (SIGINT) is recorded as the guest's decision to stay
 * stopped. A hook that finds a different or no run
 * state (a stop, restart or failed start is handling it) does nothing.
 */
import type { HostPaths } from "../../config/paths";
import { serverRunDir } from "../../config/vserver/layout";
import { readVserverConfig } from "../../config/vserver/read-config";
import { readInitExit, type InitExit } from "../../kernel/launch/init-exit";
import { withServerLock } from "../locks";
import { cleanupRun } from "../runtime/cleanup-run";
import { initAlive, readRunState, type RunState } from "../runtime/run-state";
import { mayRunAgain, recordStopped } from "./desired-state";
import { startLocked } from "./start-vserver";

/** What the hook did. */
export type HookOutcome = "nothing" | "stopped" | "restarted";

function sameInit(state: RunState | null, exit: InitExit | undefined): state is RunState {
  return state !== null && (exit === undefined || (exit.initPid === state.initPid && String(exit.startTime) === state.initStartTime));
}

/**
 * A halt from inside is the guest's decision: recorded (first, before any clean-up) so
 * that no boot start and no reconciler starts the server again behind its back. Also
 * called by the agent's start-up reconcile for a run whose hook never ran (a crash).
 */
export function recordGuestHalt(paths: HostPaths, name: string, exit: InitExit | undefined): void {
  if (exit?.status === "signaled" && exit.reboot === "halt") recordStopped(paths, name, "guest");
}

/** The exit record of `name`'s last run, or undefined (none, or unreadable). */
export function lastInitExit(paths: HostPaths, name: string): InitExit | undefined {
  try {
    return readInitExit(serverRunDir(paths, name));
  } catch {
    return undefined; // an unreadable record must not keep the server from being cleaned up
  }
}

/** Handles the end of `name`'s init. */
export async function handleInitExit(paths: HostPaths, name: string): Promise<HookOutcome> {
  const exit = lastInitExit(paths, name);
  if (!sameInit(readRunState(paths, name), exit)) return "nothing";
  return withServerLock(
    paths,
    name,
    async () => {
      const state = readRunState(paths, name);
      if (!sameInit(state, exit) || initAlive(state) || state.oneShot) return "nothing";
      recordGuestHalt(paths, name, exit);
      await cleanupRun(paths, name, state);
      if (exit?.status !== "signaled" || exit.reboot !== "restart") return "stopped";
      const cfg = readVserverConfig(paths, name);
      if (cfg.flags.includes("noreboot") || !mayRunAgain(cfg)) return "stopped";
      await startLocked(paths, name);
      return "restarted";
    },
    10 * 60_000,
  );
}
