/**
 * `vserver NAME rescue start` / `startRescue`: the server boots from a fresh copy of the
 * host's rescue root with its own root at /mnt (rescue-start-parts.ts), root's one-time
 * password and SSH keys in the rescue root, on its own addresses (the same network
 * attach as any start). The order makes it hold: the rescue is recorded on the host
 * (with its end time) before the running server is stopped, so an agent that dies half
 * way finds the record, and the supervisor (supervise-rescues.ts) ends it in time; the
 * desired state stays "running", so whatever ends the rescue boots the server normally.
 */
import type { DesiredSource } from "@/lib/protocol/vservers";
import type { HostPaths } from "../../config/paths";
import { readRescueFile, removeRescueFile, writeRescueFile } from "../../config/vserver/rescue-file";
import { readVserverConfig } from "../../config/vserver/read-config";
import { AgentFailure } from "../../errors";
import { recordDesired, suspendedFailure } from "../lifecycle/desired-state";
import { ensureStopped, startLocked } from "../lifecycle/start-vserver";
import { stopLocked, waitMonitor } from "../lifecycle/stop-vserver";
import { withServerLock } from "../locks";
import { initAlive, readRunState, type RunState } from "../runtime/run-state";
import { refillStartHelperLater } from "../runtime/start-helper-pool";
import { prepareRescueRoot, removeRescueRoot, rescueRootOf } from "./rescue-root";

/** What a rescue starts with. */
export interface RescueStart {
  rootPassword: string;
  sshKeys: string[];
  minutes: number;
  timeoutSec: number;
}

/** Whether `name` runs from its rescue root now. */
export function runsInRescue(paths: HostPaths, name: string): boolean {
  const state = readRunState(paths, name);
  return state !== null && initAlive(state) && state.root === rescueRootOf(paths, name);
}

/** Starts `name` in rescue mode; a running server (or rescue) is stopped first. */
export async function startRescue(paths: HostPaths, name: string, req: RescueStart, by: DesiredSource): Promise<void> {
  let stopped: RunState | null = null;
  try {
    await withServerLock(paths, name, async () => {
      const cfg = readVserverConfig(paths, name);
      if (cfg.desired?.state === "suspended") throw suspendedFailure(name, cfg.desired);
      // A root shifted on disk (no idmapped mounts) would need the rescue root shifted
      // too (its files are the host's root's): not offered there.
      if (cfg.uidmap?.shifted) {
        throw new AgentFailure("UNSUPPORTED", `vserver "${name}": rescue needs a root with unshifted ownership (this host's filesystem has no idmapped mounts)`, "name");
      }
      const until = new Date(Date.now() + req.minutes * 60_000).toISOString();
      writeRescueFile(paths, name, { until, by });
      try {
        const current = readRunState(paths, name);
        if (current && initAlive(current)) stopped = await stopLocked(paths, name, req.timeoutSec);
        await ensureStopped(paths, name);
        const root = await prepareRescueRoot(paths, name, { rootPassword: req.rootPassword, sshKeys: req.sshKeys }, cfg.uidmap !== null);
        await startLocked(paths, name, { rescue: { root } });
      } catch (e) {
        // Nothing runs from the rescue root: the record goes, and a server that ran
        // before runs again from its own root (a failed rescue must not take it down).
        if (!runsInRescue(paths, name)) {
          removeRescueFile(paths, name);
          removeRescueRoot(paths, name);
          if (stopped !== null) {
            await ensureStopped(paths, name);
            // The rescue's reason is what the caller hears; why the server did not come back is added to it.
            const back = await startLocked(paths, name).then(
              () => null,
              (why: unknown) => (why as Error).message,
            );
            if (back !== null && e instanceof Error) e.message = `${e.message}; and the server did not start again on its own root: ${back}`;
          }
        }
        throw e;
      }
      recordDesired(paths, name, "running", by);
    });
  } finally {
    refillStartHelperLater();
  }
  if (stopped) await waitMonitor(stopped);
}

/** The rescue record as the wire reports it (null: not in rescue). */
export function rescueStatus(paths: HostPaths, name: string): { until: string; running: boolean } | null {
  const r = readRescueFile(paths, name);
  return r ? { until: r.until, running: runsInRescue(paths, name) } : null;
}
