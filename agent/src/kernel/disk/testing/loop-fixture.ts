/**
 * A throwaway host for disk root tests: VSERVER_* prefixes in a fresh /tmp dir, and a
 * cleanup that removes every mount, loop device, immutable flag and file below it,
 * also after a failed test. Plus the checks that nothing was left.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { constants as C, getFsxattr, openat2, setFsxattr } from "@/native";
import { mountsUnder, umountUnder, detachLoop } from "@/agent/src/testing/cleanup";
import type { HostPaths } from "../../../host-paths";
import { listLoopDevices } from "../mounts";

/** A temp host. */
export interface DiskTestHost {
  base: string;
  paths: HostPaths;
}

/** Makes `/tmp/vst-<tag>-XXXX/{etc,root,run}`. */
export function makeDiskTestHost(tag: string): DiskTestHost {
  const base = fs.mkdtempSync(`/tmp/vst-${tag}-`);
  const paths = { confDir: `${base}/etc`, rootDir: `${base}/root`, runDir: `${base}/run` };
  for (const d of Object.values(paths)) fs.mkdirSync(d);
  return { base, paths };
}

/** Loop devices whose backing file lies under `base`. */
export function loopsUnder(base: string): string[] {
  return listLoopDevices()
    .filter((l) => l.backingFile.startsWith(base + "/"))
    .map((l) => `${l.device} ${l.backingFile}`);
}

function clearImmutable(dir: string): void {
  let fd: number;
  try {
    fd = openat2(C.AT_FDCWD, dir, C.O_RDONLY | C.O_DIRECTORY | C.O_NOFOLLOW);
  } catch {
    return;
  }
  try {
    const x = getFsxattr(fd).xflags;
    if (x & C.FS_XFLAG_IMMUTABLE) setFsxattr(fd, { xflags: (x & ~C.FS_XFLAG_IMMUTABLE) >>> 0 });
  } catch {
    // no flags here
  } finally {
    fs.closeSync(fd);
  }
}

/** Removes everything the tests made below `base`, whatever state they left. */
export async function removeDiskTestHost(host: DiskTestHost | undefined): Promise<void> {
  if (!host) return;
  umountUnder(host.base);
  for (let i = 0; i < 40 && loopsUnder(host.base).length > 0; i++) {
    for (const l of loopsUnder(host.base)) detachLoop(l.split(" ")[0]!);
    await new Promise((r) => setTimeout(r, 50));
  }
  try {
    for (const name of fs.readdirSync(host.paths.rootDir)) clearImmutable(path.join(host.paths.rootDir, name));
  } catch {
    // no roots dir
  }
  fs.rmSync(host.base, { recursive: true, force: true });
}

/** What is still there below `base`: mounts and loop devices (empty when clean). */
export function leftovers(base: string): string[] {
  return [...mountsUnder(base).map((m) => `mount ${m}`), ...loopsUnder(base).map((l) => `loop ${l}`)];
}

/** `losetup -a` lines that mention `base` (what an admin would look at). */
export function losetupMentions(base: string): string[] {
  return execFileSync("losetup", ["-a"], { encoding: "utf8" }).split("\n").filter((l) => l.includes(base));
}
