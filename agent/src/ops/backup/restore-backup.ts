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
import fs from "node:fs";
import path from "node:path";
import type { HostPaths } from "../../config/paths";
import { writeUidMap } from "../../config/vserver/uidmap";
import { ensureMounted } from "../../kernel/disk";
import { diskEnvOf, diskModeOf } from "../disk/disk-area";
import { ensureStopped, startLocked } from "../lifecycle/start-vserver";
import { stopLocked } from "../lifecycle/stop-vserver";
import { withServerLock } from "../locks";
import { discardStaging, prepareStaging, swapBack, swapIn } from "../reinstall/staging";
import { withReverter } from "../reverter";
import { fitRootToUidMap } from "../userns/fit-root";
import type { SnapshotRequest } from "./delete-backup";
import { fillRootFromSnapshot } from "./fill-root-from-snapshot";
import { openRepository } from "./repository";
import { makeStage, removeStage } from "./restic-stage";
import { findSnapshot } from "./snapshots";
import { finishRootSwap } from "../reinstall/finish-root-swap";
import { beginRootSwap } from "../reinstall/begin-root-swap";

/** The configuration paths (relative to the server's config dir) a restore puts back. */
export const RESTORED_CONFIG = ["uts/nodename", "uts/domainname", "limits", "flags", "bcapabilities", "nameservers", "init/argv", "apps/init/style", "build/method", "build/distribution"];

/** The request. */
export interface RestoreRequest extends SnapshotRequest {
  log?: (line: string) => void;
  progress?: (percent: number) => void;
}


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
  const snap = await findSnapshot(repo, req, paths);
  return withServerLock(paths, req.name, () =>
    withReverter(async (r) => {
      const { cfg, files, s, wasRunning } = await beginRootSwap(paths, req.name, log);
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
      await finishRootSwap(paths, req.name, s, r, { start: wasRunning, what: "restored", log });
      progress(100);
      return { started: wasRunning };
    }),
  );
}
