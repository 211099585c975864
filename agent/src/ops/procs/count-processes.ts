/**
 * The number of processes of a running server, from its cgroup (the `cgroup.procs`
 * files of its group and every group below it, in one hierarchy): what `vserver NAME
 * status` prints as util-vserver's "Number of processes", without walking all of /proc.
 */
import fs from "node:fs";
import path from "node:path";

function countIn(dir: string, depth: number): number {
  let n = 0;
  try {
    n = fs.readFileSync(path.join(dir, "cgroup.procs"), "latin1").split("\n").filter((l) => l !== "").length;
  } catch {
    return 0;
  }
  // A guest may make groups of its own below its group (delegation); not deeper than it may.
  if (depth < 32) {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) n += countIn(path.join(dir, e.name), depth + 1);
  }
  return n;
}

/** Processes in the group of `procsFiles` (a run state's `cgroupProcs`); 0 when it has none. */
export function countProcesses(procsFiles: readonly string[]): number {
  const first = procsFiles[0];
  return first === undefined ? 0 : countIn(path.dirname(first), 0);
}
