/** `readDiskUsage`: space and inodes used and allowed, for `vserver-stat`, graphs and the panel. */
import { AgentFailure } from "../../errors";
import { requireAreaRecord } from "./area-record";
import { diskEnv } from "./env";
import { areaPaths } from "./layout";
import { imageMountState } from "./loop/image-mount";
import { mountedUsage, readExt4Super, superUsage } from "./loop/image-usage";
import { projectUsage } from "./project/project-area";
import type { DiskEnvOptions, DiskUsage } from "./types";

/**
 * Usage of server `name`'s disk area. Loop mode: statfs of the mounted image (what the
 * guest's df shows), or its superblock when unmounted; ext4's own metadata (journal,
 * inode tables) is part of the image, so a full image shows bytesUsed a few percent
 * under bytesLimit. Project mode: what the kernel charges to the project.
 * NOT_FOUND when the server has no disk area.
 */
export async function readDiskUsage(name: string, options: DiskEnvOptions = {}): Promise<DiskUsage> {
  const env = diskEnv(options);
  const p = areaPaths(env.paths, name);
  const record = requireAreaRecord(p, name);
  if (record.mode === "project") return projectUsage(env, p, record);
  const image = record.image ?? p.image;
  const state = imageMountState(p.root, image);
  if (state.state === "mounted") return mountedUsage(p.root, record.limits.bytes);
  if (state.state === "other") throw new AgentFailure("CONFLICT", `${p.root} has ${state.source} mounted, not its image`);
  return superUsage(await readExt4Super(image), record.limits.bytes);
}
