/** `vserver NAME restart`: stop (when running), then start, under one lock hold. */
import type { HostPaths } from "../../config/paths";
import { withServerLock } from "../locks";
import { initAlive, readRunState, type RunState } from "../runtime/run-state";
import { ensureStopped, startLocked } from "./start-vserver";
import { stopLocked, waitMonitor } from "./stop-vserver";

/** Restarts `name` (a stopped server is simply started). */
export async function restartVserver(paths: HostPaths, name: string, timeoutSec = 30): Promise<RunState> {
  let old: RunState | null = null;
  const state = await withServerLock(paths, name, async () => {
    const current = readRunState(paths, name);
    if (current && initAlive(current)) old = await stopLocked(paths, name, timeoutSec);
    else await ensureStopped(paths, name);
    return startLocked(paths, name);
  });
  if (old) await waitMonitor(old);
  return state;
}
