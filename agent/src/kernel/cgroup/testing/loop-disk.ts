/**
 * A small ext4 on a loop device in /tmp, for IO-throttling and device-filter tests:
 * blkio throttling needs a real block device, and a loop device is one.
 */
import { execFile } from "node:child_process";
import fsp from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { decodeDev } from "../block-device";

const run = promisify(execFile);

/** A mounted loop-backed filesystem. */
export interface LoopDisk {
  dir: string;
  mountpoint: string;
  /** /dev/loopN */
  loop: string;
  /** MAJ:MIN of the loop device. */
  device: string;
  major: number;
  minor: number;
  /** Unmounts, detaches and removes everything (safe to call twice). */
  dispose(): Promise<void>;
}

/** Makes a `sizeMiB` ext4 image, attaches it and mounts it under a new vst- temp dir. */
export async function makeLoopDisk(sizeMiB = 96): Promise<LoopDisk> {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), "vst-io-"));
  const image = path.join(dir, "disk.img");
  const mountpoint = path.join(dir, "mnt");
  let loop = "";
  let mounted = false;
  const dispose = async () => {
    if (mounted) await run("umount", [mountpoint]).catch(() => undefined);
    mounted = false;
    if (loop) await run("losetup", ["-d", loop]).catch(() => undefined);
    loop = "";
    await fsp.rm(dir, { recursive: true, force: true });
  };
  try {
    await fsp.writeFile(image, "");
    await fsp.truncate(image, sizeMiB * 1024 * 1024);
    loop = (await run("losetup", ["--find", "--show", image])).stdout.trim();
    await run("mkfs.ext4", ["-q", "-F", loop]);
    await fsp.mkdir(mountpoint);
    await run("mount", [loop, mountpoint]);
    mounted = true;
    const device = decodeDev((await fsp.stat(loop, { bigint: true })).rdev);
    const [major, minor] = device.split(":").map(Number) as [number, number];
    return { dir, mountpoint, loop, device, major, minor, dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}
