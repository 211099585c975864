/**
 * The three host prefixes of util-vserver's layout, overridable so that tests and
 * several agents can share one machine:
 * - `VSERVER_CONFDIR` (default /etc/vservers): one directory of one-value files per server
 * - `VSERVER_ROOTDIR` (default /vservers): the servers' root trees
 * - `VSERVER_RUNDIR`  (default /run/vservers): run state, the agent socket, locks
 */
import path from "node:path";

/** The directories an agent works in. */
export interface HostPaths {
  confDir: string;
  rootDir: string;
  runDir: string;
}

/** Reads the prefixes from the environment (absolute paths only). */
export function hostPaths(env: NodeJS.ProcessEnv = process.env): HostPaths {
  const pick = (name: string, fallback: string): string => {
    const value = env[name]?.trim() || fallback;
    if (!path.isAbsolute(value)) throw new Error(`${name} must be an absolute path, got "${value}"`);
    return path.resolve(value);
  };
  return {
    confDir: pick("VSERVER_CONFDIR", "/etc/vservers"),
    rootDir: pick("VSERVER_ROOTDIR", "/vservers"),
    runDir: pick("VSERVER_RUNDIR", "/run/vservers"),
  };
}

/** The agent's own state directory (credential, settings): `<confDir>/.agent`. */
export function agentStateDir(paths: HostPaths): string {
  return path.join(paths.confDir, ".agent");
}

/** The default unix socket of the agent API. */
export function defaultSocketPath(paths: HostPaths): string {
  return path.join(paths.runDir, "agent.sock");
}
