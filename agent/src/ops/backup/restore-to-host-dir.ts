/**
 * `vserver NAME restore SNAPSHOT --target DIR` (the CLI only: an operator's host
 * directory, never reachable through the API): a snapshot's root, or one path of it,
 * written into DIR (made if missing, must be empty) without touching the server.
 * restic writes under a private directory inside DIR (same filesystem), whose entries
 * are then renamed up.
 */
import fs from "node:fs";
import path from "node:path";
import type { HostPaths } from "../../config/paths";
import { AgentFailure } from "../../errors";
import { snapshotPath } from "./browse-backup";
import type { SnapshotRequest } from "./delete-backup";
import { openRepository } from "./repository";
import { removeStage, restoreInto } from "./restic-stage";
import { findSnapshot, rootPathOf } from "./snapshots";

/** Restores `guestPath` ("/" for the whole root) of a snapshot into host directory `dir`; resolves with the entries written. */
export async function restoreToHostDir(paths: HostPaths, ref: SnapshotRequest, guestPath: string, dir: string): Promise<number> {
  const repo = await openRepository(paths, ref.target);
  const snap = await findSnapshot(repo, ref, paths);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (fs.readdirSync(dir).length) throw new AgentFailure("CONFLICT", `${dir} is not empty`, "target");
  const full = snapshotPath(rootPathOf(snap), guestPath);
  const tmp = path.join(dir, ".vs-restore");
  fs.mkdirSync(tmp, { mode: 0o700 });
  try {
    await restoreInto(repo, snap.id, tmp, [full]);
    const restored = path.join(tmp, full);
    if (!fs.existsSync(restored) && !fs.lstatSync(restored, { throwIfNoEntry: false })) throw new AgentFailure("NOT_FOUND", `no ${guestPath} in snapshot ${snap.short_id}`, "path");
    if (path.posix.normalize(guestPath) === "/") {
      const names = fs.readdirSync(restored);
      for (const n of names) fs.renameSync(path.join(restored, n), path.join(dir, n));
      return names.length;
    }
    fs.renameSync(restored, path.join(dir, path.posix.basename(full)));
    return 1;
  } finally {
    removeStage(tmp);
  }
}
