/**
 * Fills an empty new root with a snapshot's root (restic writing it directly, so special
 * files and hard links come back as they were), and reads the snapshot's configuration.
 * restic restores a path under its full original path, so it writes into a private
 * directory inside the new root first; the root's entries are then renamed up (one
 * filesystem: renames) and that directory removed. A fresh loop image's own lost+found
 * gives way to the snapshot's. Large files are made sparse again (dig-holes.ts).
 */
import { closeSync, fchmodSync, fchownSync } from "node:fs";
import fs from "node:fs";
import path from "node:path";
import { constants as C, fstatat, openat2 } from "@/native";
import type { ResticRepo } from "../../kernel/backup/run-restic";
import { readValue } from "../../config/vserver/value-files";
import { digHoles } from "./dig-holes";
import { removeStage, restoreInto } from "./restic-stage";
import { hostPathOf, rootPathOf, type ResticSnapshot } from "./snapshots";

/** What the snapshot says of the configuration it was taken with. */
export interface SnapshotConfig {
  /** The snapshot's configuration directory, staged (the caller removes `stage`). */
  configDir: string | null;
  /** Where the snapshot's root ids start on disk (its uidmap's start when it was shifted, else 0). */
  idBase: number;
}

/** Restores the snapshot's root into `newRoot` (empty) and its host side into `stage`. */
export async function fillRootFromSnapshot(repo: ResticRepo, snap: ResticSnapshot, newRoot: string, stage: string): Promise<SnapshotConfig> {
  const rootPath = rootPathOf(snap);
  const tmp = path.join(newRoot, ".vs-restore");
  fs.mkdirSync(tmp, { mode: 0o700 });
  try {
    await restoreInto(repo, snap.id, tmp, [rootPath]);
    const restored = path.join(tmp, rootPath);
    const top = openat2(C.AT_FDCWD, restored, C.O_RDONLY | C.O_DIRECTORY | C.O_NOFOLLOW);
    try {
      const st = fstatat(top, "", C.AT_EMPTY_PATH);
      const nr = openat2(C.AT_FDCWD, newRoot, C.O_RDONLY | C.O_DIRECTORY | C.O_NOFOLLOW);
      try {
        fchownSync(nr, st.uid, st.gid);
        fchmodSync(nr, st.mode & 0o7777);
      } finally {
        closeSync(nr);
      }
    } finally {
      closeSync(top);
    }
    for (const name of fs.readdirSync(restored)) {
      const dest = path.join(newRoot, name);
      if (name === "lost+found" && fs.existsSync(dest)) fs.rmdirSync(dest);
      fs.renameSync(path.join(restored, name), dest);
    }
  } finally {
    removeStage(tmp);
  }
  await digHoles(newRoot);
  const hostPath = hostPathOf(snap);
  if (!hostPath) return { configDir: null, idBase: 0 };
  await restoreInto(repo, snap.id, stage, [hostPath]);
  const configDir = path.join(stage, hostPath, "config");
  const shifted = readValue(path.join(configDir, "uidmap", "shifted"));
  return { configDir: fs.existsSync(configDir) ? configDir : null, idBase: shifted && /^\d+$/.test(shifted) ? Number(shifted) : 0 };
}
