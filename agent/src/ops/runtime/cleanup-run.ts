/**
 * Tears down what a start made, in an order that is safe at every instant: every
 * process of the server dies first (atomically, through the cgroup freezer), then its
 * network goes (the filter last, see kernel/net/detach.ts), then the cgroup and the run
 * state. Every step tolerates "already gone", so it also cleans up after a crashed
 * agent, a half-failed start or an init that exited on its own.
 */
import type { HostPaths } from "../../config/paths";
import { detachVserverNetwork } from "../../kernel/net";
import { hostCgroups } from "./host-cgroups";
import { removeRunState, type RunState } from "./run-state";

/** Kills what is left of the server and removes its cgroup, network and run state. */
export async function cleanupRun(paths: HostPaths, name: string, state: Pick<RunState, "context" | "network"> | null): Promise<void> {
  const cg = await hostCgroups();
  // An init that ended took its pid namespace with it: usually nothing is left to kill,
  // and a freeze/thaw round costs more than the look.
  if ((await cg.exists(name)) && (await cg.pids(name)).length > 0) await cg.killAll(name, "SIGKILL");
  if (state?.network) await detachVserverNetwork(state.context, paths);
  await cg.remove(name, { kill: true });
  removeRunState(paths, name);
}
