/**
 * At agent start: what a killed agent's backups and restores left. A server the agent
 * froze for its reflink copy is thawed (a kill -9 between freeze and thaw would
 * otherwise leave it stopped for good); the backup views and restore stages are removed.
 * The operation records of those jobs are marked failed by the operation store; restic's
 * stale lock is cleared by the next run on that target. A root copy kept for a server
 * that no longer exists is removed too.
 */
import fs from "node:fs";
import path from "node:path";
import type { HostPaths } from "../../config/paths";
import { configExists } from "../../config/vserver/read-config";
import { hostCgroups } from "../runtime/host-cgroups";
import { clearView } from "./point-in-time-view";
import { dropKeptCopy, keptCopyDir } from "./reflink-root-copy";
import { removeStage } from "./restic-stage";

/** Thaws and clears; resolves with the servers whose views were found. */
export async function recoverBackupViews(paths: HostPaths): Promise<string[]> {
  const views = path.join(paths.rootDir, ".backup");
  const names = fs.existsSync(views) ? fs.readdirSync(views) : [];
  for (const name of names) {
    if (configExists(paths, name)) {
      const cg = await hostCgroups();
      if (await cg.exists(name)) await cg.thaw(name).catch(() => undefined);
    }
    await clearView(paths, name);
  }
  const kept = path.dirname(keptCopyDir(paths, "x"));
  for (const n of fs.existsSync(kept) ? fs.readdirSync(kept) : []) {
    const name = n.replace(/\.source$/, "");
    if (!configExists(paths, name)) dropKeptCopy(paths, name);
  }
  const stages = path.join(paths.rootDir, ".backup-restore");
  for (const s of fs.existsSync(stages) ? fs.readdirSync(stages) : []) removeStage(path.join(stages, s));
  return names;
}
