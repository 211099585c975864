/**
 * restoreBackup: a server put back to a snapshot, root and configuration, the way a
 * reinstall replaces a root (ops/reinstall): under the server's lock and a reverter,
 * stop it; fill a new root beside the old one (a second image in loop mode) from the
 * snapshot; make its ids fit the server's uid mode; swap; put back the snapshot's
 * configuration of the server itself (hostname, limits, flags, capabilities, name
 * servers, init); start it if it ran and see its init stay up; only then remove the
 * old root. Any failure swaps the old root and configuration back and starts it again.
 * Kept as they are now: name, context, addresses and the disk area (the panel's).
 */
import { setTimeout as sleep } from "node:timers/promises";
import fs from "node:fs";
import path from "node:path";
import type { HostPaths } from "../../config/paths";
import { configFiles } from "../../config/vserver/layout";
import { readVserverConfig } from "../../config/vserver/read-config";
import { writeUidMap } from "../../config/vserver/uidmap";
import { AgentFailure } from "../../errors";
import { ensureMounted } from "../../kernel/disk";
import { diskEnvOf, diskModeOf } from "../disk/disk-area";
import { ensureStopped, startLocked } from "../lifecycle/start-vserver";
import { stopLocked } from "../lifecycle/stop-vserver";
import { withServerLock } from "../locks";
import { discardStaging, prepareStaging, recoverStaging, stagingOf, swapBack, swapIn } from "../reinstall/staging";
import { withReverter } from "../reverter";
import { initAlive, readRunState } from "../runtime/run-state";
import { fitRootToUidMap } from "../userns/fit-root";
import type { SnapshotRequest } from "./delete-backup";
import { fillRootFromSnapshot } from "./fill-root-from-snapshot";
import { openRepository } from "./repository";
import { makeStage, removeStage } from "./restic-stage";
import { findSnapshot } from "./snapshots";

/** The configuration paths (relative to the server's config dir) a restore puts back. */
export const RESTORED_CONFIG = ["uts/nodename", "uts/domainname", "limits", "flags", "bcapabilities", "nameservers", "init/argv", "apps/init/style", "build/method", "build/distribution"];

/** The request. */
export interface RestoreRequest extends SnapshotRequest {
  log?: (line: string) => void;
  progress?: (percent: number) => void;
}

const SETTLE_MS = 500;

function copyConfig(from: string, to: string): void {
  for (const rel of RESTORED_CONFIG) {
    const src = path.join(from, rel);
    const dst = path.join(to, rel);
    fs.rmSync(dst, { recursive: true, force: true });
    if (!fs.existsSync(src)) continue;
    fs.mkdirSync(path.dirname(dst), { recursive: true });
    fs.cpSync(src, dst, { recursive: true, verbatimSymlinks: true });
  }
}

/** Restores server `req.name` to a snapshot. */
export async function restoreBackup(paths: HostPaths, req: RestoreRequest): Promise<{ started: boolean }> {
  const log = req.log ?? (() => undefined);
  const progress = req.progress ?? (() => undefined);
  const repo = await openRepository(paths, req.target);
  const snap = await findSnapshot(repo, req);
  return withServerLock(paths, req.name, () =>
    withReverter(async (r) => {
      const cfg = readVserverConfig(paths, req.name);
      const files = configFiles(paths, req.name);
      if (fs.existsSync(files.incomplete)) throw new AgentFailure("WRONG_STATE", `vserver "${req.name}" is still being built`, "name");
      const s = stagingOf(paths, req.name, cfg.root);
      const recovered = await recoverStaging(s);
      if (recovered !== "none") log(`an interrupted reinstall or restore was put right (${recovered})`);
      const state = readRunState(paths, req.name);
      const wasRunning = state !== null && initAlive(state);
      if (wasRunning) {
        log("stopping");
        await stopLocked(paths, req.name, 30);
        r.push("start the old root again", () => startLocked(paths, req.name));
      } else {
        await ensureStopped(paths, req.name);
      }
      if (diskModeOf(paths, req.name) !== "none") await ensureMounted(req.name, diskEnvOf(paths));
      progress(10);
      r.push("staging", () => discardStaging(s));
      await prepareStaging(s, req.name);
      const stage = makeStage(paths);
      try {
        log(`restoring snapshot ${snap.short_id} beside the current root`);
        const snapCfg = await fillRootFromSnapshot(repo, snap, s.newRoot, stage);
        progress(80);
        const uidmap = await fitRootToUidMap(s.newRoot, cfg.uidmap, { from: snapCfg.idBase, log });
        const saved = path.join(stage, "config-before");
        fs.cpSync(files.dir, saved, { recursive: true, verbatimSymlinks: true });
        r.push("configuration", () => copyConfig(saved, files.dir));
        r.push("old root back", () => swapBack(s));
        await swapIn(s);
        if (snapCfg.configDir) copyConfig(snapCfg.configDir, files.dir);
        writeUidMap(paths, req.name, uidmap);
      } finally {
        removeStage(stage);
      }
      log("the restored root is in place; the old one is kept until the restored one has started");
      if (wasRunning) {
        await startLocked(paths, req.name);
        await sleep(SETTLE_MS);
        const now = readRunState(paths, req.name);
        if (!now || !initAlive(now)) {
          await ensureStopped(paths, req.name);
          throw new AgentFailure("KERNEL", `the restored root of "${req.name}" started, but its init ended at once`);
        }
        log("the restored root runs");
      }
      r.commit();
      try {
        await discardStaging(s);
        log("the old root is removed");
      } catch (e) {
        log(`the old root could not be removed yet (${(e as Error).message}); the next restore or reinstall removes it`);
      }
      progress(100);
      return { started: wasRunning };
    }),
  );
}
