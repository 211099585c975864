/**
 * restoreBackupFiles: files or directories of a snapshot put back into a server, running
 * or not. restic restores them into a host-private stage (restic-stage.ts); each entry is
 * then copied into the guest by fds: the guest directory is opened beneath the guest's
 * root fd (openat2 RESOLVE_IN_ROOT: a guest symlink on the way resolves inside the
 * guest, never to a host path), the entry there is replaced (removed by an fd walk, as
 * the guest-filesystem layer does), and the copy is made beneath that fd with
 * RESOLVE_BENEATH|RESOLVE_NO_SYMLINKS (copy-tree.ts). Symlinks are restored as links,
 * never followed; FIFOs and device nodes re-made, not opened. Under the server's lock,
 * so no stop, reinstall or restore swaps the root meanwhile.
 * Sparse files come back dense through this path (restic 0.14 has no sparse restore);
 * a whole-server restore writes them with restic directly.
 */
import { closeSync } from "node:fs";
import fs from "node:fs";
import path from "node:path";
import { constants as C, fstatat, isNativeError, openat2 } from "@/native";
import type { HostPaths } from "../../config/paths";
import { readVserverConfig } from "../../config/vserver/read-config";
import { AgentFailure } from "../../errors";
import { openGuestDir } from "../../kernel/guestfs/mkdir-guest";
import { openGuestRoot } from "../../kernel/guestfs/open-guest-root";
import { removeGuestEntryAt } from "../../kernel/guestfs/remove-guest-tree";
import { copyTree } from "../templates/copy-tree";
import { BENEATH } from "../../kernel/guestfs/guest-path";
import { withServerLock } from "../locks";
import { snapshotPath } from "./browse-backup";
import type { SnapshotRequest } from "./delete-backup";
import { openRepository } from "./repository";
import { makeStage, removeStage, restoreInto } from "./restic-stage";
import { giveDirMetadata } from "./give-dir-metadata";
import { findSnapshot, rootPathOf } from "./snapshots";

/** What to restore. */
export interface RestoreFilesRequest extends SnapshotRequest {
  paths: string[];
  into?: string;
  log?: (line: string) => void;
}

/** Copies entry `base` of the stage directory `stagedParent` into guest directory `destDir` (replacing what is there). */
async function copyEntryIn(rootFd: number, stagedParent: string, base: string, destDir: string): Promise<void> {
  const holding = fs.mkdtempSync(path.join(path.dirname(stagedParent), ".one-"));
  try {
    fs.renameSync(path.join(stagedParent, base), path.join(holding, base));
    let dfd: number;
    try {
      dfd = openGuestDir(rootFd, destDir, { mode: 0o755 });
    } catch (e) {
      // A guest link to nowhere (or to a host path the guest does not have) is no directory: refused, nothing made.
      if (isNativeError(e, "ENOTDIR") || isNativeError(e, "ELOOP")) throw new AgentFailure("BAD_REQUEST", `${destDir} is not a directory in the server`, "into");
      throw e;
    }
    try {
      // copyTree gives the destination the holding dir's own metadata: make it the guest dir's.
      giveDirMetadata(dfd, holding, { times: true });
      try {
        fstatat(dfd, base, C.AT_SYMLINK_NOFOLLOW);
        const r = removeGuestEntryAt(dfd, base);
        if (r.skippedMounts.length) throw new AgentFailure("BUSY", `${destDir}/${base}: mount points inside stay: ${r.skippedMounts.join(", ")}`);
      } catch (e) {
        if (!isNativeError(e, "ENOENT")) throw e;
      }
      const src = openat2(C.AT_FDCWD, holding, C.O_PATH | C.O_DIRECTORY | C.O_NOFOLLOW, 0);
      try {
        await copyTree(src, dfd);
      } finally {
        closeSync(src);
      }
    } finally {
      closeSync(dfd);
    }
  } finally {
    removeStage(holding);
  }
}

/** Restores `req.paths` of a snapshot into server `req.name`; resolves with how many entries were put back. */
export async function restoreBackupFiles(paths: HostPaths, req: RestoreFilesRequest): Promise<number> {
  const log = req.log ?? (() => undefined);
  const repo = await openRepository(paths, req.target);
  const snap = await findSnapshot(repo, req, paths);
  const rootPath = rootPathOf(snap);
  const wanted = [...new Set(req.paths.map((p) => path.posix.normalize(p)).filter((p) => p !== "/"))];
  if (wanted.length !== req.paths.length) throw new AgentFailure("BAD_REQUEST", "paths: the root itself is restored with restoreBackup; name each path once", "paths");
  const stage = makeStage(paths);
  try {
    log(`restoring ${wanted.length} path(s) of snapshot ${snap.short_id} into a private stage`);
    await restoreInto(repo, snap.id, stage, wanted.map((p) => snapshotPath(rootPath, p)));
    // Every requested entry must be there before the guest is touched.
    const entries = wanted.map((p) => {
      const full = snapshotPath(rootPath, p);
      if (!staged(stage, full)) throw new AgentFailure("NOT_FOUND", `no ${p} in snapshot ${snap.short_id}`, "paths");
      return { guest: p, parent: path.join(stage, path.posix.dirname(full)), base: path.posix.basename(full) };
    });
    await withServerLock(paths, req.name, async () => {
      const rootFd = openGuestRoot(readVserverConfig(paths, req.name).root);
      try {
        for (const s of entries) {
          const dest = req.into ?? path.posix.dirname(s.guest);
          await copyEntryIn(rootFd, s.parent, s.base, dest);
          log(`restored ${s.guest}${req.into ? ` into ${req.into}` : ""}`);
        }
      } finally {
        closeSync(rootFd);
      }
    });
    return entries.length;
  } finally {
    removeStage(stage);
  }
}

/** True when restic staged entry `full` (its parent dirs resolved with no symlink followed). */
function staged(stage: string, full: string): boolean {
  let sfd = -1;
  let dfd = -1;
  try {
    sfd = openat2(C.AT_FDCWD, stage, C.O_PATH | C.O_DIRECTORY | C.O_NOFOLLOW);
    dfd = openat2(sfd, `.${path.posix.dirname(full)}`, C.O_PATH | C.O_DIRECTORY, 0, BENEATH);
    fstatat(dfd, path.posix.basename(full), C.AT_SYMLINK_NOFOLLOW);
    return true;
  } catch {
    return false;
  } finally {
    if (dfd >= 0) closeSync(dfd);
    if (sfd >= 0) closeSync(sfd);
  }
}
