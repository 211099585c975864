/**
 * What happens when a guest's init ends, with or without an agent: the monitor runs
 * `vserver NAME exit-hook` (hook-command.ts). If the run state still names that init,
 * the cause is recorded (exit-record.ts: the memory group's OOM counter is read before
 * the group goes) and the server is cleaned up (processes, network, cgroup, run state).
 * Then: a reboot from inside (init killed by SIGHUP in its pid namespace) starts it again,
 * unless its `noreboot` flag says to stay stopped; a halt from inside (SIGINT) is recorded
 * as the guest's decision to stay stopped; a failure (a kill, an OOM kill, a non-zero
 * exit) is restarted when the restart policy is `on-failure`, after the back-off delay
 * (restart-backoff.ts), waited for in this process (pending-restart.ts). Nothing starts a
 * server whose desired state is no longer "running" (a stop or suspension someone asked
 * for). A hook that finds a different or no run state (a stop, restart or failed start is
 * handling it) does nothing and records nothing.
 */
import type { LastExit, RestartPolicy } from "@/lib/protocol/vservers";
import type { HostPaths } from "../../config/paths";
import { serverRunDir } from "../../config/vserver/layout";
import { readVserverConfig } from "../../config/vserver/read-config";
import { readRestartPolicy } from "../../config/vserver/restart-policy-file";
import { readInitExit, type InitExit } from "../../kernel/launch/init-exit";
import { withServerLock } from "../locks";
import { cleanupRun } from "../runtime/cleanup-run";
import { hostCgroups } from "../runtime/host-cgroups";
import { initAlive, readRunState, type RunState } from "../runtime/run-state";
import { mayRunAgain, recordStopped } from "./desired-state";
import { describeExit, isFailure, readLastExit, writeLastExit } from "./exit-record";
import { cancelPendingRestart, readPendingRestart, schedulePendingRestart, waitPendingRestart, type PendingRestart } from "./pending-restart";
import { nextRestart } from "./restart-backoff";
import { startLocked } from "./start-vserver";

/** What the hook did. */
export type HookOutcome = "nothing" | "stopped" | "restarted";

const LOCK_WAIT_MS = 10 * 60_000;

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

async function oomKillsOf(name: string): Promise<number | null> {
  try {
    return (await (await hostCgroups()).usage(name)).memory?.oomKills ?? null;
  } catch {
    return null; // no memory group (left already): the cause is then told by the signal alone
  }
}

/** The policy; a broken file restarts nothing (and `status`/info name the file). */
function policyOf(paths: HostPaths, name: string): RestartPolicy {
  try {
    return readRestartPolicy(paths, name);
  } catch {
    return "never";
  }
}

function uptimeOf(state: RunState): number | null {
  const t = Date.parse(state.startedAt);
  return Number.isNaN(t) ? null : Math.max(0, Math.round((Date.now() - t) / 1000));
}

/** Records the end, cleans up, and decides; the caller holds the lock. */
async function endRun(paths: HostPaths, name: string, state: RunState, exit: InitExit | undefined): Promise<HookOutcome | PendingRestart> {
  const cause = describeExit(exit, await oomKillsOf(name), uptimeOf(state));
  const previous = readLastExit(paths, name);
  recordGuestHalt(paths, name, exit);
  await cleanupRun(paths, name, state);
  const cfg = readVserverConfig(paths, name);
  const record: LastExit = { at: new Date().toISOString(), ...cause, action: "stopped", restartDelaySec: null, failuresInRow: null };
  if (cause.cause === "reboot" && !cfg.flags.includes("noreboot") && mayRunAgain(cfg)) {
    writeLastExit(paths, name, { ...record, action: "restart" });
    await startLocked(paths, name);
    return "restarted";
  }
  if (isFailure(cause) && mayRunAgain(cfg) && policyOf(paths, name) === "on-failure") {
    const next = nextRestart(previous, cause.uptimeSec);
    writeLastExit(paths, name, { ...record, action: "restart-scheduled", restartDelaySec: next.delaySec, failuresInRow: next.failuresInRow });
    return schedulePendingRestart(paths, name, next.delaySec);
  }
  writeLastExit(paths, name, record);
  return "stopped";
}

/** The restart the policy scheduled, when it is due and still stands. */
async function restartWhenDue(paths: HostPaths, name: string, p: PendingRestart): Promise<HookOutcome> {
  if (!(await waitPendingRestart(paths, name, p))) return "nothing";
  return withServerLock(
    paths,
    name,
    async () => {
      if (readPendingRestart(paths, name)?.token !== p.token) return "nothing";
      cancelPendingRestart(paths, name);
      const state = readRunState(paths, name);
      if (state && initAlive(state)) return "nothing";
      // Checked again now: a stop, suspension or policy change since the exit holds.
      if (!mayRunAgain(readVserverConfig(paths, name)) || policyOf(paths, name) !== "on-failure") return "nothing";
      await startLocked(paths, name);
      return "restarted";
    },
    LOCK_WAIT_MS,
  );
}

/** Handles the end of `name`'s init. */
export async function handleInitExit(paths: HostPaths, name: string): Promise<HookOutcome> {
  const exit = lastInitExit(paths, name);
  if (!sameInit(readRunState(paths, name), exit)) return "nothing";
  const outcome = await withServerLock(
    paths,
    name,
    async () => {
      const state = readRunState(paths, name);
      if (!sameInit(state, exit) || initAlive(state) || state.oneShot) return "nothing";
      return endRun(paths, name, state, exit);
    },
    LOCK_WAIT_MS,
  );
  // The wait happens without the lock: the server is free for whatever people decide.
  return typeof outcome === "string" ? outcome : restartWhenDue(paths, name, outcome);
}
