/**
 * The point-in-time view of a loop-image server (its root is an ext4 image mounted on
 * the root directory; ext4 has no reflinks inside): the image FILE is copied with a
 * reflink where the images live on XFS/btrfs. A running server is frozen (cgroup) and
 * its ext4 frozen too (`fsfreeze`: flushes the journal, so the copy is a clean
 * filesystem), only while the image is cloned; the copy is then mounted read-only
 * (`ro,noload,nosuid,nodev,noexec`, its own loop device released on unmount) as the
 * view's root. Where the images' filesystem has no reflinks, null: the caller falls
 * back to the bind mount.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import type { HostPaths } from "../../config/paths";
import { readAreaRecord } from "../../kernel/disk/area-record";
import { areaPaths } from "../../kernel/disk/layout";
import { mountedAt } from "../../kernel/mounted-at";
import { hostCgroups } from "../runtime/host-cgroups";

const run = promisify(execFile);

/** The server's image file, or null when it has none. */
export function loopImageOf(paths: HostPaths, name: string): string | null {
  const state = readAreaRecord(areaPaths(paths, name));
  if (state.kind !== "complete" || state.record.mode !== "loop") return null;
  return state.record.image ?? areaPaths(paths, name).image;
}

/**
 * Clones the image of `name` (mounted on `root`) into `dir/root.img` and mounts the clone
 * on `viewRoot`; resolves with the freeze time, or null when the image cannot be cloned.
 */
export async function viewFromLoopImage(paths: HostPaths, name: string, root: string, dir: string, viewRoot: string, running: boolean): Promise<number | null> {
  const image = loopImageOf(paths, name);
  if (!image || fs.statSync(image).dev !== fs.statSync(dir).dev) return null;
  // fsfreeze on a directory that is not the image's mount would freeze the host's filesystem.
  const mounted = mountedAt(root);
  if (running && !mounted) return null;
  const copy = path.join(dir, "root.img");
  const clone = () => run("cp", ["--reflink=always", "--", image, copy]);
  let freezeMs = 0;
  if (running) {
    const cg = await hostCgroups();
    // Written back before the freeze, so fsfreeze has little left to flush while the server waits.
    await run("sync", ["-f", "--", root]);
    const t0 = process.hrtime.bigint();
    await cg.freeze(name);
    try {
      await run("fsfreeze", ["--freeze", "--", root]);
      try {
        await clone();
      } finally {
        await run("fsfreeze", ["--unfreeze", "--", root]);
      }
    } finally {
      await cg.thaw(name);
      freezeMs = Math.max(1, Math.round(Number(process.hrtime.bigint() - t0) / 1e6));
    }
  } else {
    // Stopped: nothing writes; a freeze/unfreeze of a mounted image flushes its journal first.
    if (mounted) await run("fsfreeze", ["--freeze", "--", root]).then(() => run("fsfreeze", ["--unfreeze", "--", root]));
    await clone();
  }
  await run("mount", ["-t", "ext4", "-o", "loop,ro,noload,nosuid,nodev,noexec", "--", copy, viewRoot]);
  return freezeMs;
}
