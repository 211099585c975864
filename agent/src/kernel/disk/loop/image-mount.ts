/**
 * Mounting and unmounting a server image on its root, and the guard that keeps an
 * unmounted root unusable: the root directory underneath the image is made immutable,
 * so if a start path ever forgets {@link ensureMounted} after a host reboot, nothing can
 * be written into the host filesystem in place of the limited image.
 */
import { closeSync, lstatSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { constants as C, getFsxattr, isNativeError, openat2, setFsxattr } from "@/native";
import { AgentFailure } from "../../../errors";
import { listLoopDevices, loopsOfImage, mountAt, readMounts } from "../mounts";
import { runTool, toolErrorOf } from "../../run-tool";
import { mountArgs } from "./ext4-args";

/** Where an image stands relative to its root. */
export type ImageMountState =
  | { state: "mounted"; device: string }
  | { state: "unmounted" }
  /** Something else is mounted on the root (another image, a bind mount, …). */
  | { state: "other"; source: string; fsType: string };

/** Whether `image` is the filesystem mounted on `root` (top of the stack). */
export function imageMountState(root: string, image: string): ImageMountState {
  const top = mountAt(readMounts(), root);
  if (!top) return { state: "unmounted" };
  const loop = /^\/dev\/loop\d+$/.test(top.source) ? listLoopDevices().find((l) => l.device === top.source) : undefined;
  if (loop && loopsOfImage(image, [loop]).length === 1) return { state: "mounted", device: loop.device };
  return { state: "other", source: top.source, fsType: top.fsType };
}

/** Throws unless `root` is a real directory (not a symlink): mount(8) would follow one. */
export function checkRootDir(root: string): void {
  const st = lstatSync(root, { throwIfNoEntry: false });
  if (!st) throw new AgentFailure("NOT_FOUND", `${root} does not exist`);
  if (!st.isDirectory()) throw new AgentFailure("CONFLICT", `${root} is not a directory${st.isSymbolicLink() ? " (a symlink)" : ""}`);
}

/** Mounts `image` on `root` (loop, autoclear) and turns on direct I/O (best effort). */
export async function mountImage(image: string, root: string): Promise<string> {
  checkRootDir(root);
  await runTool("mount", mountArgs(image, root));
  const now = imageMountState(root, image);
  if (now.state !== "mounted") throw new AgentFailure("KERNEL", `mounted ${image} on ${root} but mountinfo does not show it`);
  // Direct I/O on the backing file: the guest's pages are cached once (in its own
  // filesystem), not a second time as pages of the image file on the host.
  await runTool("losetup", ["--direct-io=on", now.device]).catch(() => undefined);
  return now.device;
}

/** Waits for autoclear to free the image's loop devices, then detaches what is left. */
async function releaseLoops(image: string): Promise<void> {
  for (let i = 0; i < 40 && loopsOfImage(image).length > 0; i++) await sleep(50);
  for (const loop of loopsOfImage(image)) {
    // A device without autoclear (attached by hand, or by an older agent): nothing
    // else will ever free it.
    await runTool("losetup", ["-d", loop.device]).catch(() => undefined);
  }
}

/**
 * Unmounts `image` from `root` when it is mounted there and frees its loop device.
 * Never lazy: a busy mount (a host process working in the tree) is BUSY, because a
 * detached-but-alive filesystem must not be fsck'd, resized or deleted underneath.
 */
export async function unmountImage(root: string, image: string): Promise<void> {
  const state = imageMountState(root, image);
  if (state.state === "other") throw new AgentFailure("CONFLICT", `${root} has ${state.source} (${state.fsType}) mounted, not ${image}`);
  if (state.state === "mounted") {
    try {
      await runTool("umount", [root]);
    } catch (e) {
      if (/busy/i.test(toolErrorOf(e)?.stderr ?? "")) {
        throw new AgentFailure("BUSY", `${root} is in use on the host (a process has files or its cwd there); try again when it is done`, undefined, { cause: e });
      }
      throw e;
    }
  }
  await releaseLoops(image);
}

/**
 * Sets or clears FS_XFLAG_IMMUTABLE on the (unmounted) root directory. Returns false
 * when the host filesystem has no such flag: then the guard is simply absent.
 */
export function guardMountPoint(root: string, on: boolean): boolean {
  const fd = openat2(C.AT_FDCWD, root, C.O_RDONLY | C.O_DIRECTORY | C.O_NOFOLLOW);
  try {
    const x = getFsxattr(fd).xflags;
    const want = (on ? x | C.FS_XFLAG_IMMUTABLE : x & ~C.FS_XFLAG_IMMUTABLE) >>> 0;
    if (want !== x) setFsxattr(fd, { xflags: want });
    return true;
  } catch (e) {
    if (isNativeError(e, "ENOTTY") || isNativeError(e, "EOPNOTSUPP") || isNativeError(e, "EINVAL")) return false;
    throw e;
  } finally {
    closeSync(fd);
  }
}
