/**
 * Where a reinstall builds the new root beside the old one, and how the two trade
 * places. Everything lives in `VSERVER_ROOTDIR/.reinstall/NAME/` (0700, on the roots'
 * filesystem, so renames are atomic):
 *
 * - loop mode (the root is an ext4 image mounted on it): a second image `new.img` of the
 *   same size and inode count, mounted on `new/` while the method fills it. The swap
 *   unmounts both, renames `.images/NAME.img` → `old.img` and `new.img` →
 *   `.images/NAME.img`, and mounts that on the root; so the disk layer's record (the
 *   image path) never changes. Undo is the same in reverse.
 * - plain directory (no disk limit, or project quota): the new tree is `new/` (tagged
 *   with the server's project id first, so the build is charged to it), and the swap is
 *   one renameat2(RENAME_EXCHANGE) of the root and `new/`, after which the old tree is
 *   renamed to `old/`.
 *
 * `journal` in the staging directory names the phase, so an interrupted reinstall is
 * put right by {@link recoverStaging}: before the swap the new tree goes, after it the
 * old root comes back (a new root that never started is not trusted).
 */
import fs from "node:fs";
import path from "node:path";
import { closeSync } from "node:fs";
import { constants as C, getFsxattr, openat2, renameat2, setFsxattr } from "@/native";
import type { HostPaths } from "../../config/paths";
import { readAreaRecord } from "../../kernel/disk/area-record";
import { areaPaths } from "../../kernel/disk/layout";
import { mkfsArgs } from "../../kernel/disk/loop/ext4-args";
import { imageMountState, mountImage, unmountImage } from "../../kernel/disk/loop/image-mount";
import { runTool } from "../../kernel/run-tool";
import type { AreaRecord } from "../../kernel/disk/types";
import { removeRoot } from "../build/build-vserver";

/** The phase a reinstall reached. */
export type StagingPhase = "building" | "swapped";

/** One server's staging area. */
export interface Staging {
  dir: string;
  /** Where the method writes the new root. */
  newRoot: string;
  root: string;
  mode: "loop" | "dir";
  record: AreaRecord | null;
  image: string | null;
  newImage: string;
  oldImage: string;
  oldRoot: string;
  journal: string;
}

/** The staging paths of `name` (nothing is made). */
export function stagingOf(paths: HostPaths, name: string, root: string): Staging {
  const dir = path.join(paths.rootDir, ".reinstall", name);
  const state = readAreaRecord(areaPaths(paths, name));
  const record = state.kind === "complete" ? state.record : null;
  return {
    dir,
    newRoot: path.join(dir, "new"),
    root,
    mode: record?.mode === "loop" ? "loop" : "dir",
    record,
    image: record?.mode === "loop" ? (record.image ?? areaPaths(paths, name).image) : null,
    newImage: path.join(dir, "new.img"),
    oldImage: path.join(dir, "old.img"),
    oldRoot: path.join(dir, "old"),
    journal: path.join(dir, "journal"),
  };
}

/** Records the phase (atomically). */
export function writePhase(s: Staging, phase: StagingPhase): void {
  fs.writeFileSync(`${s.journal}.tmp`, `${phase}\n`, { mode: 0o600 });
  fs.renameSync(`${s.journal}.tmp`, s.journal);
}

/** The recorded phase, or null when no reinstall left anything. */
export function readPhase(s: Staging): StagingPhase | null {
  try {
    const p = fs.readFileSync(s.journal, "utf8").trim();
    return p === "swapped" ? "swapped" : "building";
  } catch {
    return fs.existsSync(s.dir) ? "building" : null;
  }
}

/** Makes the staging area and an empty new root (a mounted fresh image in loop mode). */
export async function prepareStaging(s: Staging, name: string): Promise<void> {
  fs.mkdirSync(path.dirname(s.dir), { recursive: true, mode: 0o700 });
  fs.mkdirSync(s.dir, { mode: 0o700 });
  writePhase(s, "building");
  fs.mkdirSync(s.newRoot, { mode: 0o755 });
  if (s.mode === "loop") {
    const fd = fs.openSync(s.newImage, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW, 0o600);
    try {
      fs.ftruncateSync(fd, s.record!.limits.bytes);
    } finally {
      fs.closeSync(fd);
    }
    await runTool("mkfs.ext4", mkfsArgs(s.newImage, name, s.record!.limits));
    await mountImage(s.newImage, s.newRoot);
  } else if (s.record?.mode === "project" && s.record.projid !== undefined) {
    const fd = openat2(C.AT_FDCWD, s.newRoot, C.O_RDONLY | C.O_DIRECTORY | C.O_NOFOLLOW);
    try {
      setFsxattr(fd, { projid: s.record.projid, xflags: getFsxattr(fd).xflags | C.FS_XFLAG_PROJINHERIT });
    } finally {
      closeSync(fd);
    }
  }
}

/** Puts the new root in place of the old one. */
export async function swapIn(s: Staging): Promise<void> {
  if (s.mode === "loop") {
    await unmountImage(s.root, s.image!);
    await unmountImage(s.newRoot, s.newImage);
    fs.renameSync(s.image!, s.oldImage);
    fs.renameSync(s.newImage, s.image!);
    writePhase(s, "swapped");
    await mountImage(s.image!, s.root);
    return;
  }
  renameat2(C.AT_FDCWD, s.root, C.AT_FDCWD, s.newRoot, C.RENAME_EXCHANGE);
  fs.renameSync(s.newRoot, s.oldRoot);
  writePhase(s, "swapped");
}

/** Puts the old root back and drops the new one (after a failed start, or on recovery). */
export async function swapBack(s: Staging): Promise<void> {
  if (s.mode === "loop") {
    if (fs.existsSync(s.oldImage)) {
      if (imageMountState(s.root, s.image!).state === "mounted") await unmountImage(s.root, s.image!);
      if (fs.existsSync(s.image!)) fs.renameSync(s.image!, s.newImage);
      fs.renameSync(s.oldImage, s.image!);
    }
    if (imageMountState(s.root, s.image!).state !== "mounted") await mountImage(s.image!, s.root);
    writePhase(s, "building");
    return;
  }
  if (fs.existsSync(s.oldRoot)) {
    fs.renameSync(s.oldRoot, s.newRoot);
    renameat2(C.AT_FDCWD, s.root, C.AT_FDCWD, s.newRoot, C.RENAME_EXCHANGE);
  }
  writePhase(s, "building");
}

/** Removes the staging area with whatever root it holds (new before a swap, old after). */
export async function discardStaging(s: Staging): Promise<void> {
  if (!fs.existsSync(s.dir)) return;
  if (s.mode === "loop") {
    if (imageMountState(s.newRoot, s.newImage).state === "mounted") await unmountImage(s.newRoot, s.newImage);
  }
  for (const tree of [s.newRoot, s.oldRoot]) if (fs.existsSync(tree)) removeRoot(tree);
  fs.rmSync(s.dir, { recursive: true, force: true });
}

/** Puts right what an interrupted reinstall left: the old root in place, no staging. */
export async function recoverStaging(s: Staging): Promise<"none" | "discarded" | "restored"> {
  const phase = readPhase(s);
  if (phase === null) return "none";
  if (phase === "swapped") await swapBack(s);
  await discardStaging(s);
  return phase === "swapped" ? "restored" : "discarded";
}
