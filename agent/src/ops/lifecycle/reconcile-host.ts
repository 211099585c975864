/**
 * What an agent does when it starts: find the servers again (run state + /proc start
 * time), clean up after servers whose init ended while no hook could run, remove builds
 * that died half-way, and start the servers marked for boot (`apps/init/mark` =
 * `default`) whose last decision was "running" (desired-state.ts: a suspended or
 * stopped server stays down) and that are not running. Running servers are left alone.
 */
import fs from "node:fs";
import type { HostPaths } from "../../config/paths";
import { configFiles, listServerNames } from "../../config/vserver/layout";
import { readVserverConfig } from "../../config/vserver/read-config";
import { reconcileDiskAreas } from "../../kernel/disk";
import { diskEnvOf } from "../disk/disk-area";
import { deleteLocked } from "../manage/delete-vserver";
import { isLocked, withServerLock } from "../locks";
import { cleanupRun } from "../runtime/cleanup-run";
import { initAlive, readRunState } from "../runtime/run-state";
import { startsAtBoot } from "./desired-state";
import { lastInitExit, recordGuestHalt } from "./init-exit-hook";
import { ensureStopped, startLocked } from "./start-vserver";
import { recoverStaging, stagingOf } from "../reinstall/staging";

/** What reconciliation found and did, per server. */
export interface ReconcileReport {
  running: string[];
  cleaned: string[];
  removedIncomplete: string[];
  started: string[];
  failed: { name: string; error: string }[];
}

/** Whether the process that wrote a build's `.build-incomplete` (its pid) still runs. */
function builderAlive(marker: string): boolean {
  const pid = Number.parseInt(fs.readFileSync(marker, "utf8"), 10);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Reconciles the host; never throws for one server's problem. */
export async function reconcileHost(paths: HostPaths, opts: { startMarked?: boolean } = {}): Promise<ReconcileReport> {
  const report: ReconcileReport = { running: [], cleaned: [], removedIncomplete: [], started: [], failed: [] };
  // After a host reboot the disk images are not mounted: mount them before anything starts.
  try {
    const disks = await reconcileDiskAreas({ ensure: true, ...diskEnvOf(paths) });
    for (const e of disks.errors) report.failed.push({ name: "disk", error: e });
  } catch (e) {
    report.failed.push({ name: "disk", error: e instanceof Error ? e.message : String(e) });
  }
  for (const name of listServerNames(paths)) {
    try {
      const incomplete = configFiles(paths, name).incomplete;
      if (fs.existsSync(incomplete)) {
        // A build in progress (the CLI's, its builder alive) is left alone. One whose builder
        // died (an agent killed mid-build) goes, once a child it left behind (an unpacker
        // still holding the lock for a moment) lets go of the lock: skipping it then left a
        // half-built server for good.
        if (isLocked(paths, name) && builderAlive(incomplete)) continue;
        const removed = await withServerLock(
          paths,
          name,
          async () => {
            if (!fs.existsSync(incomplete)) return false; // finished or removed meanwhile
            await deleteLocked(paths, name);
            return true;
          },
          30_000,
        );
        if (removed) report.removedIncomplete.push(name);
        continue;
      }
      const state = readRunState(paths, name);
      if (state && initAlive(state)) {
        report.running.push(name);
        continue;
      }
      // A reinstall cut off by a crash: the old root goes back before anything starts it.
      if (!isLocked(paths, name)) {
        await withServerLock(paths, name, async () => {
          const recovered = await recoverStaging(stagingOf(paths, name, readVserverConfig(paths, name).root));
          if (recovered !== "none") report.cleaned.push(`${name} (interrupted reinstall ${recovered})`);
        });
      }
      if (state) {
        await withServerLock(paths, name, async () => {
          const again = readRunState(paths, name);
          if (!again || initAlive(again)) return;
          // The init ended while no hook could run: a halt it asked for still counts.
          const exit = lastInitExit(paths, name);
          if (exit && exit.initPid === again.initPid) recordGuestHalt(paths, name, exit);
          await cleanupRun(paths, name, again);
        });
        report.cleaned.push(name);
      }
      if (opts.startMarked !== false && startsAtBoot(readVserverConfig(paths, name))) {
        await withServerLock(paths, name, async () => {
          await ensureStopped(paths, name);
          await startLocked(paths, name);
        });
        report.started.push(name);
      }
    } catch (e) {
      report.failed.push({ name, error: e instanceof Error ? e.message : String(e) });
    }
  }
  return report;
}
