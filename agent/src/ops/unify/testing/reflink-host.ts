/**
 * A temp vserver host (ops/testing/temp-host.ts) whose VSERVER_ROOTDIR is on a
 * loop-mounted XFS made with reflink=1: the filesystem vunify and reflink copies need.
 * The image is sparse under its own /tmp/vst-xfs-* directory; cleanup removes the
 * servers first (through the temp host), then unmounts, detaches and deletes, also when
 * a test failed half-way.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { detachLoop, umountUnder } from "../../../testing/cleanup";
import { makeTempHost, type TempHost } from "../../testing/temp-host";

/** The host plus where its XFS is. */
export interface ReflinkHost extends TempHost {
  mountPoint: string;
  loop: string;
}

/** Makes the host; `size` is the image's (sparse) size for truncate(1), e.g. "3G". */
export function makeReflinkHost(size = "2G"): ReflinkHost {
  const dir = fs.mkdtempSync("/tmp/vst-xfs-");
  const image = path.join(dir, "xfs.img");
  const mountPoint = path.join(dir, "mnt");
  let loop = "";
  const host = makeTempHost();
  try {
    fs.mkdirSync(mountPoint);
    execFileSync("truncate", ["-s", size, image]);
    execFileSync("mkfs.xfs", ["-q", "-f", "-m", "reflink=1", image]);
    loop = execFileSync("losetup", ["-f", "--show", image], { encoding: "utf8" }).trim();
    execFileSync("mount", [loop, mountPoint]);
  } catch (e) {
    umountUnder(mountPoint);
    if (loop) detachLoop(loop);
    fs.rmSync(dir, { recursive: true, force: true });
    void host.cleanup();
    throw e;
  }
  // The temp host's cleanup reads `paths` at call time: its roots are found on the XFS.
  host.paths.rootDir = path.join(mountPoint, "vservers");
  fs.mkdirSync(host.paths.rootDir);
  host.env.VSERVER_ROOTDIR = host.paths.rootDir;
  process.env.VSERVER_ROOTDIR = host.paths.rootDir;
  const cleanupHost = host.cleanup.bind(host);
  return {
    ...host,
    mountPoint,
    loop,
    async cleanup() {
      try {
        await cleanupHost();
      } finally {
        umountUnder(mountPoint);
        detachLoop(loop);
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** Used bytes of the filesystem at `dir` (statfs, after syncfs), like df. */
export function usedBytes(dir: string): number {
  execFileSync("sync", ["-f", dir]);
  const s = fs.statfsSync(dir);
  return (s.blocks - s.bfree) * s.bsize;
}
