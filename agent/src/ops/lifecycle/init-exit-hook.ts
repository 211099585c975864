/**
 * What happens when a guest's init ends, with or without an agent: the monitor runs
 * `vserver NAME exit-hook` (hook-command.ts). If the run state still names that init,
 * the server is cleaned up (processes, network, cgroup, run state); if the guest asked
 * for a reboot (init killed by SIGHUP in its pid namespace) it is started again, unless
 * its `noreboot` flag says to stay stopped. A hook that finds a different or no run
 * state (a stop, restart or failed start is handling it) does nothing.
 */
import type { HostPaths } from "../../config/paths";
import { serverRunDir } from "../../config/vserver/layout";
import { readVserverConfig } from "../../config/vserver/read-config";
import { readInitExit, type InitExit } from "../../kernel/launch/init-exit";
import { withServerLock } from "../locks";
import { cleanupRun } from "../runtime/cleanup-run";
import { initAlive, readRunState, type RunState } from "../runtime/run-state";
import { startLocked } from "./start-vserver";

/** What the hook did. */
export type HookOutcome = "nothing" | "stopped" | "restarted";

function sameInit(state: RunState | null, exit: InitExit | undefined): state is RunState {
  return state !== null && (exit === undefined || (exit.initPid === state.initPid && String(exit.startTime) === state.initStartTime));
}

/** Handles the end of `name`'s init. */
export async function handleInitExit(paths: HostPaths, name: string): Promise<HookOutcome> {
  let exit: InitExit | undefined;
  try {
    exit = readInitExit(serverRunDir(paths, name));
  } catch {
    exit = undefined; // an unreadable record must not keep the server from being cleaned up
  }
  if (!sameInit(readRunState(paths, name), exit)) return "nothing";
  return withServerLock(
    paths,
    name,
    async () => {
      const state = readRunState(paths, name);
      if (!sameInit(state, exit) || initAlive(state) || state.oneShot) return "nothing";
      await cleanupRun(paths, name, state);
      if (exit?.status !== "signaled" || exit.reboot !== "restart") return "stopped";
      if (readVserverConfig(paths, name).flags.includes("noreboot")) return "stopped";
      await startLocked(paths, name);
      return "restarted";
    },
    10 * 60_000,
  );
}
