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
