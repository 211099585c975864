/**
 * `setDesiredState`: the panel's way to say what a server should be — running, stopped,
 * or suspended with a reason — in one call that records the decision on the host first
 * and then brings the server there. Recording first is what makes a suspension hold: if
 * the agent dies between the two, the next agent reads "suspended" and leaves the server
 * down; and the panel's reconciler finishes the stop.
 */
import type { DesiredRunState, DesiredSource } from "@/lib/protocol/vservers";
import type { HostPaths } from "../../config/paths";
import { withServerLock } from "../locks";
import { initAlive, readRunState, type RunState } from "../runtime/run-state";
import { refillStartHelperLater } from "../runtime/start-helper-pool";
import { recordDesired } from "./desired-state";
import { ensureStopped, startLocked } from "./start-vserver";
import { stopLocked, waitMonitor } from "./stop-vserver";

/** The decision to record and how long a stop may take. */
export interface DesiredChange {
  state: DesiredRunState;
  reason?: string;
  timeoutSec: number;
}

/** Records `change` for `name` and converges: starts or stops it as needed. */
export async function setDesiredState(paths: HostPaths, name: string, change: DesiredChange, by: DesiredSource): Promise<void> {
  let stopped: RunState | null = null;
  try {
    await withServerLock(paths, name, async () => {
      recordDesired(paths, name, change.state, by, change.state === "suspended" ? (change.reason ?? null) : null);
      const current = readRunState(paths, name);
      const running = current !== null && initAlive(current);
      if (change.state === "running" && !running) {
        await ensureStopped(paths, name);
        await startLocked(paths, name);
      } else if (change.state !== "running" && running) {
        stopped = await stopLocked(paths, name, change.timeoutSec);
      }
    });
  } finally {
    if (change.state === "running") refillStartHelperLater();
  }
  if (stopped) await waitMonitor(stopped);
}
