/**
 * A deleted server's history goes with it: rrdcached is told to drop what it still
 * caches for the file (FORGET), then the file is removed. Called by the delete op in
 * whichever process deletes (the agent, or the CLI's `vserver NAME delete`); when
 * rrdcached cannot be reached the file is removed all the same, and the sampler's sweep
 * of orphan files drops any update the daemon wrote back meanwhile.
 */
import fs from "node:fs";
import path from "node:path";
import type { HostPaths } from "../../config/paths";
import { historyPaths, serverRrdName } from "./history-paths";
import { RrdcachedClient } from "./rrdcached-client";

/** Removes `name`'s history. */
export async function removeServerHistory(paths: HostPaths, name: string): Promise<void> {
  const h = historyPaths(paths);
  const file = serverRrdName(name);
  if (fs.existsSync(h.socket)) {
    const client = new RrdcachedClient(h.socket);
    await client.command(`FORGET ${file}`, 5000).catch(() => undefined);
    client.close();
  }
  fs.rmSync(path.join(h.baseDir, file), { force: true });
}
