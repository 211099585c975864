/**
 * Handlers that change a server check first that it exists: the ops take the server's
 * lock before they read its configuration, and a lock file is made on first use and
 * never removed (see ops/locks), so a call naming a server that does not exist would
 * otherwise leave a file in RUNDIR/locks for every name a caller can think of.
 */
import { AgentFailure } from "../errors";
import type { HostPaths } from "../config/paths";
import { checkVserverName } from "../config/vserver/names";
import { configExists } from "../config/vserver/read-config";

/** Throws NOT_FOUND (field `name`) unless the server is configured on this host. */
export function requireServer(paths: HostPaths, name: string): void {
  checkVserverName(name);
  if (!configExists(paths, name)) throw new AgentFailure("NOT_FOUND", `no vserver named "${name}"`, "name");
}
