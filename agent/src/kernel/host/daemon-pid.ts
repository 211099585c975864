/**
 * Finding a helper daemon the agent started earlier (rrdcached, lxcfs) from its pid file,
 * so a restarted agent adopts it instead of starting a second one.
 */
import fs from "node:fs";
import path from "node:path";

/** The pid in `file`, or null when there is none (or nonsense: a pid must be above 1). */
export function readPidFile(file: string): number | null {
  try {
    const pid = Number(fs.readFileSync(file, "utf8").trim());
    return Number.isInteger(pid) && pid > 1 ? pid : null;
  } catch {
    return null;
  }
}

/**
 * Whether `pid` runs `program` with `arg` among its arguments: a pid file can outlive its
 * daemon and the pid be reused by anything, so the command line must still say it is ours.
 */
export function pidRuns(pid: number, program: string, arg: string): boolean {
  try {
    const argv = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
    return path.basename(argv[0] ?? "") === program && argv.includes(arg);
  } catch {
    return false;
  }
}
