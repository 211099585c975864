/**
 * restic restores into a host-private staging directory first
 * (`VSERVER_ROOTDIR/.backup-restore/ID`, 0700, on the roots' filesystem so copies into a
 * guest can share extents): restic writes only there, never into a guest tree, and what
 * it wrote is then copied into the guest by fds (restore-backup-files.ts).
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { HostPaths } from "../../config/paths";
import { runRestic, type ResticRepo } from "../../kernel/backup/run-restic";
import { removeRoot } from "../build/build-vserver";

/** restic's --include takes a pattern: a path's own `*?[\` must match only themselves. */
export function includePattern(fullPath: string): string {
  return fullPath.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}

/** A fresh staging directory. */
export function makeStage(paths: HostPaths): string {
  const base = path.join(paths.rootDir, ".backup-restore");
  fs.mkdirSync(base, { recursive: true, mode: 0o700 });
  const dir = path.join(base, crypto.randomUUID());
  fs.mkdirSync(dir, { mode: 0o700 });
  return dir;
}

/** Removes a staging directory (an fd walk: it holds a guest's files and links). */
export function removeStage(dir: string): void {
  removeRoot(dir);
  fs.rmSync(dir, { recursive: true, force: true });
}

/** Restores the snapshot's `fullPaths` (restic's own paths) under `stage`. */
export async function restoreInto(repo: ResticRepo, snapshotId: string, stage: string, fullPaths: string[]): Promise<void> {
  await runRestic(repo, ["restore", "--no-lock", snapshotId, "--target", stage, ...fullPaths.flatMap((p) => ["--include", includePattern(p)])]);
}
