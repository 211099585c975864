/** deleteBackup: forgets one snapshot of a server (NOT_FOUND when it is another's) and prunes what only it used. */
import type { HostPaths } from "../../config/paths";
import { runRestic } from "../../kernel/backup/run-restic";
import { openRepository } from "./repository";
import { findSnapshot, removeFigures } from "./snapshots";

/** The snapshot a request names. */
export interface SnapshotRequest {
  target: string;
  name: string;
  owner: string;
  snapshot: string;
}

/** Deletes one snapshot. */
export async function deleteBackup(paths: HostPaths, ref: SnapshotRequest): Promise<void> {
  const repo = await openRepository(paths, ref.target, { unlock: true });
  const snap = await findSnapshot(repo, ref, paths);
  await runRestic(repo, ["forget", "--prune", snap.id]);
  removeFigures(paths, ref.target, snap.id);
}
