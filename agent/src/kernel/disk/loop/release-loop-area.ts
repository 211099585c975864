/**
 * Removes a loop-mode area: unmount, free the loop device, delete the image, lift the
 * guard and remove the (then empty) root directory. The server's files lived in the
 * image, so this is where they go. Each step tolerates "already done", so a release
 * interrupted by a crash is finished by calling it again.
 */
import fs from "node:fs";
import type { AreaPaths } from "../layout";
import { guardMountPoint, unmountImage } from "./image-mount";

/** What a release left in place. */
export interface LoopReleaseResult {
  /** The root directory stayed because something was in it (written before the guard, or by hand). */
  rootKept: boolean;
}

/** Releases the image `image` of the area at `p`. The caller holds the area lock. */
export async function releaseLoopArea(p: AreaPaths, image: string): Promise<LoopReleaseResult> {
  await unmountImage(p.root, image);
  fs.rmSync(image, { force: true });
  const st = fs.lstatSync(p.root, { throwIfNoEntry: false });
  if (!st?.isDirectory()) return { rootKept: false };
  guardMountPoint(p.root, false);
  try {
    fs.rmdirSync(p.root);
    return { rootKept: false };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOTEMPTY") return { rootKept: true };
    throw e;
  }
}
