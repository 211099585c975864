/** Finding and watching processes on the host by command line and environment, for tests that kill the agent at a chosen moment. */
import fs from "node:fs";

/** True while `pid` exists and is not a zombie. */
export function alive(pid: number): boolean {
  try {
    return !/\) Z /.test(fs.readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

/** The first process whose NUL-separated command line and environment `match`, or 0. */
export function findProcess(match: (cmdline: string, environ: string) => boolean): number {
  for (const d of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (match(fs.readFileSync(`/proc/${d}/cmdline`, "latin1"), fs.readFileSync(`/proc/${d}/environ`, "latin1"))) return Number(d);
    } catch {
      /* gone */
    }
  }
  return 0;
}
