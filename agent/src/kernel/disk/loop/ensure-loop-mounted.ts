/**
 * Mounts a server's image on its root unless it already is: after a host reboot (loop
 * devices and mounts are gone), after a failed shrink, or when an admin unmounted it.
 * Idempotent, so the start path calls it every time.
 */
import fs from "node:fs";
import { AgentFailure } from "../../../errors";
import type { AreaPaths } from "../layout";
import { loopsOfImage, readMounts } from "../mounts";
import { runTool, toolErrorOf } from "../../run-tool";
import type { AreaRecord } from "../types";
import { imageMountState, mountImage } from "./image-mount";

/** Detaches loop devices of `image` that nothing mounts (left by a crashed tool). */
async function detachStrayLoops(image: string): Promise<void> {
  const mounts = readMounts();
  for (const loop of loopsOfImage(image)) {
    const user = mounts.find((m) => m.source === loop.device);
    if (user) throw new AgentFailure("CONFLICT", `${image} is mounted at ${user.mountPoint} (${loop.device}), not on the server's root`);
    await runTool("losetup", ["-d", loop.device]).catch(() => undefined);
  }
}

/** Makes sure the image is mounted on the root; returns its loop device. */
export async function ensureLoopMounted(p: AreaPaths, record: AreaRecord): Promise<string> {
  const image = record.image ?? p.image;
  const state = imageMountState(p.root, image);
  if (state.state === "mounted") return state.device;
  if (state.state === "other") throw new AgentFailure("CONFLICT", `${p.root} has ${state.source} (${state.fsType}) mounted, not its image ${image}`);
  if (!fs.existsSync(image)) throw new AgentFailure("KERNEL", `the disk image ${image} of ${p.root} is missing`);
  await detachStrayLoops(image);
  // What fstab's pass column does at boot: replay is the kernel's job, but an image
  // marked with errors gets checked before a guest writes to it again. Exit 4 and up
  // means a human must look (e2fsck -f -y after a backup of the image).
  try {
    await runTool("e2fsck", ["-p", image], { okExit: [0, 1, 2] });
  } catch (e) {
    const code = toolErrorOf(e)?.exitCode;
    throw new AgentFailure("KERNEL", `${image} has filesystem errors that need a manual e2fsck (exit ${code ?? "?"}); not mounting it`, undefined, { cause: e });
  }
  return mountImage(image, p.root);
}
