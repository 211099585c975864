/**
 * `vserver NAME delete`: refuses a running server; removes its root (fd walk that never
 * follows the guest's symlinks and leaves mount points alone), the root copy its backups
 * keep, its cgroup, run state and finally its configuration. Also cleans up an interrupted build.
 */
import { releaseServerClaims } from "../allocation/host-claims";
import fs from "node:fs";
import { endLeftoverRescue } from "../rescue/rescue-start-parts";
import { AgentFailure } from "../../errors";
import type { HostPaths } from "../../config/paths";
import { configFiles, serverRunDir } from "../../config/vserver/layout";
import { checkVserverName } from "../../config/vserver/names";
import { readVdir } from "../../config/vserver/read-config";
import { removeConfigPath } from "../../config/vserver/value-files";
import { releaseDiskArea } from "../../kernel/disk";
import { removeRoot } from "../build/build-vserver";
import { dropKeptCopy } from "../backup/reflink-root-copy";
import { diskEnvOf, hasDiskRecord } from "../disk/disk-area";
import { removeServerHistory } from "../history/remove-server-history";
import { withServerLock } from "../locks";
import { cleanupRun } from "../runtime/cleanup-run";
import { recoverStaging, stagingOf } from "../reinstall/staging";
import { hostCgroups } from "../runtime/host-cgroups";
import { initAlive, readRunState } from "../runtime/run-state";

/** Deletes the stopped server `name`. */
export async function deleteVserver(paths: HostPaths, name: string): Promise<void> {
  checkVserverName(name);
  await withServerLock(paths, name, async () => deleteLocked(paths, name));
}

/** Deletes `name`; the caller holds its lock. */
export async function deleteLocked(paths: HostPaths, name: string): Promise<void> {
  const files = configFiles(paths, name);
  if (!fs.existsSync(files.dir)) throw new AgentFailure("NOT_FOUND", `no vserver named "${name}"`, "name");
  const state = readRunState(paths, name);
  if (state && initAlive(state)) throw new AgentFailure("WRONG_STATE", `vserver "${name}" is running; stop it first`, "name");
  const cg = await hostCgroups();
  if (state || (await cg.exists(name))) await cleanupRun(paths, name, state);
  let root: string | undefined;
  try {
    root = readVdir(files.vdir);
  } catch {
    root = undefined; // an interrupted build may not have linked it yet
  }
  // A reinstall interrupted by a crash may have left its staging area (even a mounted
  // image): put the old root back in place first, so the release below takes everything.
  if (root) await recoverStaging(stagingOf(paths, name, root));
  // Loop mode: release takes the image and the root with it; project mode: the tree stays.
  if (hasDiskRecord(paths, name)) await releaseDiskArea(name, { running: false, ...diskEnvOf(paths) });
  if (root && fs.existsSync(root)) removeRoot(root);
  // The copy of its root a backup keeps for the next one.
  dropKeptCopy(paths, name);
  fs.rmSync(serverRunDir(paths, name), { recursive: true, force: true });
  endLeftoverRescue(paths, name); // a rescue root left by a rescue that no start ended
  removeConfigPath(files.dir);
  // Its context id and uid range are free for every agent on the machine now.
  await releaseServerClaims(paths, name);
  await removeServerHistory(paths, name);
}
