/**
 * Changing the size of a server image. Growing works while the guest runs: the file
 * grows, the loop device learns its new capacity (LOOP_SET_CAPACITY), and resize2fs
 * grows the mounted ext4 online (EXT4_IOC_RESIZE_FS, which needs CAP_SYS_RESOURCE in the
 * agent). Shrinking ext4 is only possible offline: the server must be stopped, the image
 * is unmounted, checked (e2fsck -f), shrunk, cut to size and mounted again. A shrink
 * below what the files need is refused before anything changes.
 */
import fs from "node:fs";
import { AgentFailure } from "../../../errors";
import { formatSize } from "../../units";
import { writeLimits } from "../area-record";
import { checkHostSpace, DISK_BLOCK } from "../limits";
import type { AreaPaths } from "../layout";
import { runTool, toolErrorOf } from "../../run-tool";
import type { AreaRecord } from "../types";
import { withReverter } from "../../../reverter";
import { hasCapability, CAP_SYS_RESOURCE } from "./capability";
import { hostAvailable } from "./create-loop-area";
import { ensureLoopMounted } from "./ensure-loop-mounted";
import { resize2fsSize } from "./ext4-args";
import { imageMountState, unmountImage } from "./image-mount";
import { mountedUsage } from "./image-usage";

/** Options of {@link growLoopArea}. */
export interface GrowOptions {
  overcommit: boolean;
  /** The server runs: only an online grow is possible. */
  running: boolean;
}

/** Grows the mounted filesystem: file, loop capacity, then resize2fs on the device. */
async function growOnline(p: AreaPaths, record: AreaRecord, image: string, bytes: number): Promise<void> {
  const device = await ensureLoopMounted(p, record);
  await withReverter(async (r) => {
    const before = fs.statSync(image).size;
    fs.truncateSync(image, bytes);
    r.push(`shrink ${image} back`, async () => {
      fs.truncateSync(image, before);
      await runTool("losetup", ["-c", device]);
    });
    await runTool("losetup", ["-c", device]);
  });
  // No undo from here: a half-done online resize must never be cut short by truncating
  // the file under it. The record keeps the old size, so calling again finishes it.
  await runTool("resize2fs", [device]);
}

/**
 * Runs `work` on the unmounted image and mounts it again afterwards in every case:
 * while the server exists, its image stays mounted.
 */
async function withImageOffline(p: AreaPaths, record: AreaRecord, image: string, work: () => Promise<void>): Promise<void> {
  await unmountImage(p.root, image);
  let failure: unknown;
  try {
    await runTool("e2fsck", ["-f", "-p", image], { okExit: [0, 1] });
    await work();
  } catch (e) {
    failure = e;
  }
  try {
    if (imageMountState(p.root, image).state === "unmounted") await ensureLoopMounted(p, record);
  } catch (e) {
    if (failure === undefined) throw e;
    if (failure instanceof Error) Object.assign(failure, { undoFailures: [`mount again: ${String(e)}`] });
  }
  if (failure !== undefined) throw failure;
}

/** Grows the image to `bytes`: online when the agent may, else offline (server stopped). */
export async function growLoopArea(p: AreaPaths, record: AreaRecord, bytes: number, options: GrowOptions): Promise<void> {
  const image = record.image ?? p.image;
  checkHostSpace(bytes - record.limits.bytes, hostAvailable(p.imagesDir), p.imagesDir, options.overcommit);
  if (hasCapability(CAP_SYS_RESOURCE)) {
    await growOnline(p, record, image, bytes);
  } else if (options.running) {
    throw new AgentFailure(
      "UNSUPPORTED",
      "bytes: growing a running server's image needs an online ext4 resize, which the kernel allows only with CAP_SYS_RESOURCE, and this agent lacks it; stop the server or give the agent the capability",
      "bytes",
    );
  } else {
    await withImageOffline(p, record, image, async () => {
      fs.truncateSync(image, bytes);
      await runTool("resize2fs", [image, resize2fsSize(bytes)]);
    });
  }
  writeLimits(p, { ...record.limits, bytes });
}

/** resize2fs -P: the smallest size (bytes) the image's files and metadata fit in. */
async function minimumBytes(image: string): Promise<number> {
  const out = (await runTool("resize2fs", ["-P", image])).stdout;
  const m = /minimum size of the filesystem:\s*(\d+)/i.exec(out);
  if (!m) throw new AgentFailure("KERNEL", `resize2fs -P ${image}: no estimate in ${JSON.stringify(out.trim())}`);
  return Number(m[1]) * DISK_BLOCK;
}

function tooSmall(bytes: number, needed: number, what: string): AgentFailure {
  return new AgentFailure("LIMIT_EXCEEDED", `bytes: ${formatSize(bytes)} is too small: ${what} need ${formatSize(needed)}; delete files first`, "bytes");
}

/** Shrinks the (stopped) server's image to `bytes`; mounts it again afterwards. */
export async function shrinkLoopArea(p: AreaPaths, record: AreaRecord, bytes: number): Promise<void> {
  const image = record.image ?? p.image;
  await ensureLoopMounted(p, record);
  const usage = mountedUsage(p.root, record.limits.bytes);
  if (usage.bytesUsed >= bytes) throw tooSmall(bytes, usage.bytesUsed, "the files in it");
  await withImageOffline(p, record, image, async () => {
    const min = await minimumBytes(image);
    if (bytes < min) throw tooSmall(bytes, min, "files and filesystem metadata");
    try {
      await runTool("resize2fs", [image, resize2fsSize(bytes)]);
    } catch (e) {
      if (/no space left|not enough space/i.test(toolErrorOf(e)?.stderr ?? "")) throw tooSmall(bytes, min, "files and filesystem metadata");
      throw e;
    }
    // The filesystem ends at `bytes` now; were the cut to fail, the longer file would
    // only waste host space.
    fs.truncateSync(image, bytes);
    writeLimits(p, { ...record.limits, bytes });
  });
}
