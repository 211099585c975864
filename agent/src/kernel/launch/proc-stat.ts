/** Process identity on the host: a pid plus its start time names one process for the
 * life of the system (a bare pid can be reused). */
import { readFileSync } from "node:fs";

/** Field 22 of /proc/PID/stat (clock ticks since boot), as a decimal string. */
export function readStartTime(pid: number): string {
  const stat = readFileSync(`/proc/${pid}/stat`, "latin1");
  // comm (field 2) may hold spaces and ')': count fields after the last ')'.
  const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const v = rest[22 - 3];
  if (v === undefined || !/^\d+$/.test(v)) throw new Error(`malformed /proc/${pid}/stat`);
  return v;
}

/**
 * Whether process `pid` has exited and only waits to be reaped (state Z, or X while it
 * goes): it runs nothing any more. How long a zombie stays depends on its parent (a
 * server's monitor is reaped by the host's init, which on some hosts takes a second or
 * two), so "is it still running" must not wait for the reaping.
 */
export function isZombie(pid: number): boolean {
  const stat = readFileSync(`/proc/${pid}/stat`, "latin1");
  const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
  return state === "Z" || state === "X";
}
