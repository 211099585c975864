/** `vserver NAME restart`: stop (when running), then start, under one lock hold. */
import type { DesiredSource } from "@/lib/protocol/vservers";
import type { HostPaths } from "../../config/paths";
import { recordDesired, refuseIfSuspended } from "./desired-state";
import { withServerLock } from "../locks";
import { initAlive, readRunState, type RunState } from "../runtime/run-state";
import { ensureStopped, startLocked } from "./start-vserver";
import { stopLocked, waitMonitor } from "./stop-vserver";

/**
 * Restarts `name` (a stopped server is simply started). A suspended one is refused
 * before anything stops; with `by`, "running" is recorded as the desired state.
 */
export async function restartVserver(paths: HostPaths, name: string, timeoutSec = 30, by?: DesiredSource): Promise<RunState> {
  let old: RunState | null = null;
  const state = await withServerLock(paths, name, async () => {
    refuseIfSuspended(paths, name);
    if (by) recordDesired(paths, name, "running", by);
    const current = readRunState(paths, name);
    if (current && initAlive(current)) old = await stopLocked(paths, name, timeoutSec);
    else await ensureStopped(paths, name);
    return startLocked(paths, name);
  });
  if (old) await waitMonitor(old);
  return state;
}
