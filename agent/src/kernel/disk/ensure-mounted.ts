/** `ensureMounted`: what the start path calls, every time, before anything runs in the root. */
import { requireAreaRecord } from "./area-record";
import { diskEnv } from "./env";
import { areaPaths } from "./layout";
import { withAreaLock } from "./locks";
import { imageMountState } from "./loop/image-mount";
import { ensureLoopMounted } from "./loop/ensure-loop-mounted";
import { ensureProjectArea } from "./project/project-area";
import type { DiskEnvOptions, DiskMode } from "./types";

/** What {@link ensureMounted} did. */
export interface EnsureResult {
  mode: DiskMode;
  /** "none": all was in place; "mounted": the image was mounted (after a reboot, say);
   * "repaired": the project root's id/flag or the quota limits were set again. */
  action: "none" | "mounted" | "repaired";
}

/**
 * Makes the disk limit of server `name` effective, idempotently: loop mode mounts the
 * image on the root if it is not (after an e2fsck -p, as fstab would), project mode
 * checks that the quota is on and the root still carries the id. Throws (and the start
 * must not go on) when the limit cannot be made effective: a missing image, a foreign
 * mount on the root, filesystem errors, project quota off.
 */
export async function ensureMounted(name: string, options: DiskEnvOptions = {}): Promise<EnsureResult> {
  const env = diskEnv(options);
  const p = areaPaths(env.paths, name);
  return withAreaLock(p.root, async () => {
    const record = requireAreaRecord(p, name);
    if (record.mode === "project") return { mode: "project", action: ensureProjectArea(env, p, record) ? "repaired" : "none" };
    if (imageMountState(p.root, record.image ?? p.image).state === "mounted") return { mode: "loop", action: "none" };
    await ensureLoopMounted(p, record);
    return { mode: "loop", action: "mounted" };
  });
}
