/**
 * Where a host keeps its usage history: round-robin files and rrdcached's journal in a
 * persistent directory (they must outlive reboots), the daemon's socket and pid file in
 * the run directory. `AGENT_HISTORY_DIR` moves the persistent part (a host may want it
 * on another disk: about 3 MB per server); by default it is `<confDir>/.agent/history`.
 */
import path from "node:path";
import { agentStateDir, type HostPaths } from "../../config/paths";
import { checkVserverName } from "../../config/vserver/names";

/** The history's files and directories on one host. */
export interface HistoryPaths {
  /** rrdcached's base directory (-b): every file name it is given is relative to it. */
  baseDir: string;
  journalDir: string;
  /** The traffic ledger (traffic-ledger.ts). */
  ledgerFile: string;
  socket: string;
  pidFile: string;
  logFile: string;
}

/** The history paths of `paths`' host. */
export function historyPaths(paths: HostPaths, env: NodeJS.ProcessEnv = process.env): HistoryPaths {
  const configured = env.AGENT_HISTORY_DIR?.trim();
  if (configured && !path.isAbsolute(configured)) throw new Error(`AGENT_HISTORY_DIR must be an absolute path, got "${configured}"`);
  const root = configured ? path.resolve(configured) : path.join(agentStateDir(paths), "history");
  const run = path.join(paths.runDir, "history");
  return {
    baseDir: path.join(root, "rrd"),
    journalDir: path.join(root, "journal"),
    ledgerFile: path.join(root, "traffic.json"),
    socket: path.join(run, "rrdcached.sock"),
    pidFile: path.join(run, "rrdcached.pid"),
    logFile: path.join(run, "rrdcached.log"),
  };
}

const checked = new Map<string, string>();

/** A server's round-robin file, relative to the base directory (rrdcached's name for it). */
export function serverRrdName(name: string): string {
  // Remembered: the sampler asks for every server every 10 s, and the check is a schema parse.
  let file = checked.get(name);
  if (file === undefined) {
    file = `servers/${checkVserverName(name)}.rrd`;
    if (checked.size > 100_000) checked.clear();
    checked.set(name, file);
  }
  return file;
}

/** The host's own round-robin file, relative to the base directory. */
export const hostRrdName = "host.rrd";
