/**
 * A server's usage history as it leaves the host with the server (a move, issue 16):
 * rrdcached is told to write what it caches for the file (FLUSH), then the round-robin
 * file is copied aside for the target to pull. Without rrdcached running the file on disk
 * is what there is.
 */
import fs from "node:fs";
import path from "node:path";
import type { HostPaths } from "../../config/paths";
import { historyPaths, serverRrdName } from "./history-paths";
import { RrdcachedClient } from "./rrdcached-client";

/** Copies `name`'s history to `dest` (mode 0600); false when the server has none. */
export async function stageServerHistory(paths: HostPaths, name: string, dest: string): Promise<boolean> {
  const h = historyPaths(paths);
  const file = serverRrdName(name);
  const src = path.join(h.baseDir, file);
  if (!fs.existsSync(src)) return false;
  if (fs.existsSync(h.socket)) {
    const client = new RrdcachedClient(h.socket);
    await client.command(`FLUSH ${file}`, 10_000).catch(() => undefined);
    client.close();
  }
  fs.copyFileSync(src, dest, fs.constants.COPYFILE_EXCL);
  fs.chmodSync(dest, 0o600);
  return true;
}
