/**
 * Whether a busybox init that was asked to power off has nothing left to do but wait.
 * Its power-off runs the `::shutdown:` actions (waiting for each in wait4), sends SIGTERM
 * to every other process, sync(2)s, sleeps a second, sends SIGKILL, sync(2)s, sleeps a
 * second, calls reboot(POWER_OFF) and sleeps once more: about two seconds, and on a host
 * with much unwritten data the two syncs (host-wide) take seconds more. Busybox's init
 * sleeps only in that sequence (its main loop waits in sigtimedwait), so once it sleeps
 * and is the last process of its server, the rest changes nothing inside the server
 * (every process is gone; the page cache is the host's, written back by the kernel as
 * it would be anyway) and the stop may end it at once. A process that takes its time
 * over SIGTERM keeps the init's full second: the init is not alone then.
 */
import fs from "node:fs";
import type { RunState } from "../runtime/run-state";

function read(file: string): string | null {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return null;
  }
}

/** The pids in the server's cgroup (from the first of its recorded `cgroup.procs` files that can be read), or null. */
function serverPids(state: RunState): number[] | null {
  for (const file of state.cgroupProcs) {
    const text = read(file);
    if (text !== null) return text.split("\n").filter(Boolean).map(Number);
  }
  return null;
}

/** Whether `state`'s busybox init, asked to power off, now only sleeps with no other process left in its server. */
export function busyboxHaltOnlySleeps(state: RunState): boolean {
  // wchan names the kernel function the task sleeps in: hrtimer_nanosleep (do_nanosleep on older kernels) for sleep(3).
  const wchan = read(`/proc/${state.initPid}/wchan`);
  if (!wchan || !/nanosleep/.test(wchan)) return false;
  const pids = serverPids(state);
  return pids !== null && pids.length === 1 && pids[0] === state.initPid;
}
