/**
 * A moved server's usage history arriving from its old host (issue 16): the file is
 * checked to be a round-robin file this host's rrdtool reads with the server schema's
 * sources (a file of another architecture, of another schema or no RRD at all is
 * refused), then it replaces what this host began for the server: rrdcached drops what
 * it caches for the old file (FORGET), a copy of the new one is renamed into place.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { HostPaths } from "../../config/paths";
import { historyPaths, serverRrdName } from "./history-paths";
import { RrdcachedClient } from "./rrdcached-client";
import { serverSources } from "./rrd-schema";

/** Why `file` is not a server history this host can take, or null when it is one. */
export function historyFileProblem(file: string): string | null {
  let info: string;
  try {
    info = execFileSync("rrdtool", ["info", file], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 16 << 20 });
  } catch (e) {
    return `rrdtool cannot read it: ${String((e as { stderr?: string }).stderr ?? (e as Error).message).trim().slice(0, 200)}`;
  }
  const missing = Object.values(serverSources).filter((s) => !info.includes(`ds[${s.ds}].type = "${s.kind}"`));
  return missing.length ? `it lacks the sources ${missing.map((s) => s.ds).join(", ")}` : null;
}

/** Replaces `name`'s history with a copy of `file`; throws when the file is not one. */
export async function importServerHistory(paths: HostPaths, name: string, file: string): Promise<void> {
  const problem = historyFileProblem(file);
  if (problem) throw new Error(`the history from the old host is not taken: ${problem}`);
  const h = historyPaths(paths);
  const rel = serverRrdName(name);
  const dest = path.join(h.baseDir, rel);
  fs.mkdirSync(path.dirname(dest), { recursive: true, mode: 0o700 });
  const forget = async () => {
    if (!fs.existsSync(h.socket)) return;
    const client = new RrdcachedClient(h.socket);
    await client.command(`FORGET ${rel}`, 5000).catch(() => undefined);
    client.close();
  };
  // Copied beside the destination first (the file may be on another filesystem), then renamed: never half a file in place.
  const tmp = `${dest}.in-${process.pid}`;
  fs.copyFileSync(file, tmp);
  try {
    fs.chmodSync(tmp, 0o600);
    await forget();
    fs.renameSync(tmp, dest);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
  await forget();
}
