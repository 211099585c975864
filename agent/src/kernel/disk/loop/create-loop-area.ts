/**
 * Creates a loop-mode disk area: the (empty) root directory, guarded immutable; a sparse
 * image of the limit's size; ext4 in it; mounted on the root. The record is written
 * last. Every step has its undo, so a failure leaves no image, loop device or mount.
 */
import fs from "node:fs";
import { AgentFailure } from "../../../errors";
import { commitAreaRecord, makeRecordDir, removeAreaRecord } from "../area-record";
import { checkHostSpace, checkLoopInodes } from "../limits";
import type { AreaPaths } from "../layout";
import { mountAt, readMounts } from "../mounts";
import { runTool } from "../../run-tool";
import type { AreaRecord, DiskLimits } from "../types";
import type { Reverter } from "../../../reverter";
import { mkfsArgs } from "./ext4-args";
import { checkRootDir, guardMountPoint, mountImage, unmountImage } from "./image-mount";

/** Options of {@link createLoopArea}. */
export interface LoopCreateOptions {
  /** Allow a sparse image larger than the host's free space. */
  overcommit: boolean;
}

/** Free bytes for unprivileged writers on the filesystem of `dir`. */
export function hostAvailable(dir: string): number {
  const s = fs.statfsSync(dir);
  return s.bavail * s.bsize;
}

/** Makes the root, or checks that an existing one is an empty, unmounted directory. */
function prepareRoot(p: AreaPaths, r: Reverter): void {
  if (!fs.existsSync(p.root)) {
    fs.mkdirSync(p.root, { mode: 0o755 });
    r.push(`remove ${p.root}`, () => fs.rmdirSync(p.root));
    return;
  }
  checkRootDir(p.root);
  if (mountAt(readMounts(), p.root)) throw new AgentFailure("CONFLICT", `${p.root} is already a mount point`);
  if (fs.readdirSync(p.root).length > 0) {
    throw new AgentFailure("CONFLICT", `${p.root} is not empty: a loop image must be created before the root is populated`);
  }
}

/** Creates the sparse image file (0600 in a 0700 dir) of exactly `bytes`. */
function createImageFile(p: AreaPaths, bytes: number, r: Reverter): void {
  fs.mkdirSync(p.imagesDir, { recursive: true, mode: 0o700 });
  let fd: number;
  try {
    fd = fs.openSync(p.image, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW, 0o600);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") {
      throw new AgentFailure("CONFLICT", `${p.image} already exists without a disk area record: a leftover of an unfinished create (reconcileDiskAreas with removeOrphans removes it)`);
    }
    throw e;
  }
  r.push(`remove ${p.image}`, () => fs.rmSync(p.image, { force: true }));
  try {
    fs.ftruncateSync(fd, bytes);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new AgentFailure("KERNEL", `cannot size ${p.image} to ${bytes} bytes: ${code === "EFBIG" ? "larger than the host filesystem allows for one file" : String(e)}`, undefined, { cause: e });
  } finally {
    fs.closeSync(fd);
  }
}

/** Runs the loop-mode create under the caller's reverter; returns the committed record. */
export async function createLoopArea(name: string, p: AreaPaths, limits: DiskLimits, options: LoopCreateOptions, r: Reverter): Promise<AreaRecord> {
  checkLoopInodes(limits);
  fs.mkdirSync(p.imagesDir, { recursive: true, mode: 0o700 });
  checkHostSpace(limits.bytes, hostAvailable(p.imagesDir), p.imagesDir, options.overcommit);

  prepareRoot(p, r);
  if (guardMountPoint(p.root, true)) r.push(`unguard ${p.root}`, () => void guardMountPoint(p.root, false));
  createImageFile(p, limits.bytes, r);
  await runTool("mkfs.ext4", mkfsArgs(p.image, name, limits));
  await mountImage(p.image, p.root);
  r.push(`unmount ${p.root}`, () => unmountImage(p.root, p.image));

  const record: AreaRecord = { mode: "loop", directory: p.root, limits, image: p.image };
  const made = makeRecordDir(p);
  r.push(`remove the record of ${name}`, () => {
    removeAreaRecord(p);
    for (const dir of made.reverse()) fs.rmSync(dir, { recursive: true, force: true });
  });
  commitAreaRecord(p, record);
  return record;
}
