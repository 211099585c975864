/**
 * `vserver NAME condrestart` (util-vserver's): restart when running, nothing when
 * stopped. The check and the restart happen under one hold of the server's lock, so a
 * server stopped meanwhile is not started by it.
 */
import type { DesiredSource } from "@/lib/protocol/vservers";
import type { HostPaths } from "../../config/paths";
import { readVserverConfig } from "../../config/vserver/read-config";
import { withServerLock } from "../locks";
import { initAlive, readRunState, type RunState } from "../runtime/run-state";
import { refuseIfSuspended, recordDesired } from "./desired-state";
import { startLocked } from "./start-vserver";
import { stopLocked, waitMonitor } from "./stop-vserver";

/** Restarts `name` if it runs; returns the new run state, or null when it was stopped. */
export async function condrestartVserver(paths: HostPaths, name: string, timeoutSec = 30, by?: DesiredSource): Promise<RunState | null> {
  readVserverConfig(paths, name);
  let old: RunState | null = null;
  const state = await withServerLock(paths, name, async () => {
    const current = readRunState(paths, name);
    if (!current || !initAlive(current)) return null;
    refuseIfSuspended(paths, name);
    if (by) recordDesired(paths, name, "running", by);
    old = await stopLocked(paths, name, timeoutSec);
    return startLocked(paths, name);
  });
  if (old) await waitMonitor(old);
  return state;
}
