/** `setDiskLimit`: changes a server's limits, live where the backend can. */
import { AgentFailure } from "../../errors";
import { requireAreaRecord } from "./area-record";
import { diskEnv } from "./env";
import { areaPaths } from "./layout";
import { checkLoopInodes, validateDiskLimitChange } from "./limits";
import { withAreaLock } from "./locks";
import { growLoopArea, shrinkLoopArea } from "./loop/resize-loop-area";
import { setProjectLimit } from "./project/project-area";
import { readDiskUsage } from "./read-disk-usage";
import type { DiskEnvOptions, DiskUsage } from "./types";

/** Options of {@link setDiskLimit}. */
export interface SetDiskLimitOptions extends DiskEnvOptions {
  /** Whether the server runs now: the caller knows, and a loop shrink needs it stopped. */
  running: boolean;
  /** Loop mode: allow growing past the host's free space (the image stays sparse). */
  overcommit?: boolean;
}

/**
 * Sets new hard limits for server `name`; fields not given stay. Project mode: both
 * limits change live, in both directions. Loop mode: growing is live (the guest may run);
 * shrinking needs the server stopped (WRONG_STATE otherwise) and unmounts the image for
 * e2fsck and resize2fs (BUSY when a host process holds it); the inode count is fixed by
 * the image's layout and grows with its size, so another `inodes` is UNSUPPORTED.
 * A limit below current usage is LIMIT_EXCEEDED naming the field, and nothing changes.
 * Growing while running needs CAP_SYS_RESOURCE in the agent (online resize); without it
 * a running server's grow is UNSUPPORTED and a stopped one is grown offline.
 * Returns the usage afterwards.
 */
export async function setDiskLimit(name: string, change: { bytes?: number | string; inodes?: number | string }, options: SetDiskLimitOptions): Promise<DiskUsage> {
  const env = diskEnv(options);
  const p = areaPaths(env.paths, name);
  const valid = validateDiskLimitChange(change);
  return withAreaLock(p.root, async () => {
    const record = requireAreaRecord(p, name);
    if (record.mode === "project") {
      setProjectLimit(env, p, record, valid);
      return readDiskUsage(name, options);
    }
    if (valid.inodes !== undefined && valid.inodes !== record.limits.inodes) {
      throw new AgentFailure(
        "UNSUPPORTED",
        `inodes: a loop image's inode count is fixed when it is made (${record.limits.inodes} asked then) and grows with its size; recreate the area for another density`,
        "inodes",
      );
    }
    const bytes = valid.bytes ?? record.limits.bytes;
    checkLoopInodes({ bytes, inodes: record.limits.inodes });
    if (bytes > record.limits.bytes) await growLoopArea(p, record, bytes, { overcommit: options.overcommit ?? false, running: options.running });
    else if (bytes < record.limits.bytes) {
      if (options.running) throw new AgentFailure("WRONG_STATE", `bytes: shrinking ${name}'s image needs the server stopped (ext4 shrinks offline only)`, "bytes");
      await shrinkLoopArea(p, record, bytes);
    }
    return readDiskUsage(name, options);
  });
}
