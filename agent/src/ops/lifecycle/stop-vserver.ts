/**
 * `vserver NAME stop`: ask the init to power off (shutdown-signal.ts), wait up to the
 * timeout (a busybox init only until its power-off has nothing left to do but pause:
 * busybox-halt.ts), then kill everything left atomically through the cgroup and remove the
 * network, cgroup and run state. After the lock is released we wait (bounded) for the
 * old monitor: it runs the exit hook, which finds nothing left to do.
 */
import { pidfdOpen, pidfdSendSignal } from "@/native";
import { closeSync } from "node:fs";
import { AgentFailure } from "../../errors";
import type { HostPaths } from "../../config/paths";
import { serverRunDir } from "../../config/vserver/layout";
import { readVserverConfig } from "../../config/vserver/read-config";
import { readStartTime } from "../../kernel/launch/proc-stat";
import { withServerLock } from "../locks";
import { cleanupRun } from "../runtime/cleanup-run";
import { hostCgroups } from "../runtime/host-cgroups";
import { initAlive, readRunState, type RunState } from "../runtime/run-state";
import { waitInitExit, waitProcessGone } from "../runtime/wait-exit";
import { detectInitStyle, SHUTDOWN_SIGNAL } from "./shutdown-signal";
import { busyboxHaltOnlySleeps } from "./busybox-halt";
import type { DesiredSource } from "@/lib/protocol/vservers";
import { recordStopped } from "./desired-state";

/** Sends `signal` to the init through a pidfd checked against the recorded start time. */
export function signalInit(state: RunState, signal: number): boolean {
  let fd: number;
  try {
    fd = pidfdOpen(state.initPid);
  } catch {
    return false;
  }
  try {
    if (readStartTime(state.initPid) !== state.initStartTime) return false;
    pidfdSendSignal(fd, signal);
    return true;
  } catch {
    return false;
  } finally {
    closeSync(fd);
  }
}

/** Stops a running server; the caller holds the lock. Returns the stopped run state. */
export async function stopLocked(paths: HostPaths, name: string, timeoutSec: number): Promise<RunState> {
  const state = readRunState(paths, name);
  if (!state || !initAlive(state)) {
    const cg = await hostCgroups();
    if (state || (await cg.exists(name))) await cleanupRun(paths, name, state);
    throw new AgentFailure("WRONG_STATE", `vserver "${name}" is not running`, "name");
  }
  let style;
  try {
    style = readVserverConfig(paths, name).initStyle;
  } catch {
    style = null; // a broken config must not keep a server from stopping
  }
  style ??= detectInitStyle(state.initPid);
  if (timeoutSec > 0 && signalInit(state, SHUTDOWN_SIGNAL[style])) {
    // A busybox init's power-off ends in pauses that change nothing: cut them short (busybox-halt.ts).
    const enough = style === "busybox" ? () => busyboxHaltOnlySleeps(state) : undefined;
    await waitInitExit(serverRunDir(paths, name), state.initPid, state.initStartTime, timeoutSec * 1000, enough);
  }
  await cleanupRun(paths, name, state);
  return state;
}

/** Waits (bounded) for a stopped server's monitor and its exit hook to finish. */
export async function waitMonitor(state: RunState, timeoutMs = 10_000): Promise<void> {
  await waitProcessGone(state.monitorPid, state.monitorStartTime, timeoutMs);
}

/**
 * `vserver NAME stop`: WRONG_STATE when it is not running. With `by`, "stopped" is
 * recorded first as the desired state (before the stop, so that a crash half-way
 * cannot leave a record that starts the server at the next boot).
 */
export async function stopVserver(paths: HostPaths, name: string, timeoutSec = 30, by?: DesiredSource): Promise<void> {
  const state = await withServerLock(paths, name, () => {
    if (by) recordStopped(paths, name, by);
    return stopLocked(paths, name, timeoutSec);
  });
  await waitMonitor(state);
}
