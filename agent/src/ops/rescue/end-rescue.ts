/**
 * `vserver NAME rescue stop` / `endRescue`, and the end a rescue's time brings
 * (supervise-rescues.ts): the rescue system is stopped (killed at once when the timeout
 * is 0: what it wrote to /mnt is in the host's page cache already), the record and the
 * rescue root go, and the server boots normally from its own root when its desired
 * state is "running" (it is, unless someone stopped or suspended it since).
 */
import type { HostPaths } from "../../config/paths";
import { readRescueFile } from "../../config/vserver/rescue-file";
import { readVserverConfig } from "../../config/vserver/read-config";
import { mayRunAgain } from "../lifecycle/desired-state";
import { ensureStopped, startLocked } from "../lifecycle/start-vserver";
import { stopLocked, waitMonitor } from "../lifecycle/stop-vserver";
import { withServerLock } from "../locks";
import { initAlive, readRunState, type RunState } from "../runtime/run-state";
import { refillStartHelperLater } from "../runtime/start-helper-pool";
import { endLeftoverRescue } from "./rescue-start-parts";
import { runsInRescue } from "./start-rescue";

/** Ends `name`'s rescue; false when it was not in rescue (nothing changed). With
 * `expiredAt`, only a rescue whose end time is at or before it (checked under the lock). */
export async function endRescue(paths: HostPaths, name: string, timeoutSec: number, expiredAt?: number): Promise<boolean> {
  let stopped: RunState | null = null;
  let ended = false;
  try {
    await withServerLock(paths, name, async () => {
      const record = readRescueFile(paths, name);
      if (!record) return;
      if (expiredAt !== undefined && Date.parse(record.until) > expiredAt) return;
      ended = true;
      const state = readRunState(paths, name);
      if (state && initAlive(state) && !runsInRescue(paths, name)) {
        endLeftoverRescue(paths, name); // it runs from its own root already
        return;
      }
      if (runsInRescue(paths, name)) stopped = await stopLocked(paths, name, timeoutSec);
      await ensureStopped(paths, name);
      endLeftoverRescue(paths, name);
      // The desired state stays as decided: a rescue is no decision to stop.
      if (mayRunAgain(readVserverConfig(paths, name))) await startLocked(paths, name);
    });
  } finally {
    refillStartHelperLater();
  }
  if (stopped) await waitMonitor(stopped);
  return ended;
}
