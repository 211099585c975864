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
import { countProcesses } from "../procs/count-processes";
import type { RunState } from "../runtime/run-state";

/** Whether `state`'s busybox init, asked to power off, now only sleeps with no other process left in its server. */
export function busyboxHaltOnlySleeps(state: RunState): boolean {
  // wchan names the kernel function the task sleeps in: hrtimer_nanosleep (do_nanosleep on older kernels) for sleep(3).
  let wchan = "";
  try {
    wchan = fs.readFileSync(`/proc/${state.initPid}/wchan`, "utf8");
  } catch {
    return false;
  }
  // Counted in the server's group and the groups a guest may make below it: a process there is the server's too.
  return /nanosleep/.test(wchan) && countProcesses(state.cgroupProcs) === 1;
}
