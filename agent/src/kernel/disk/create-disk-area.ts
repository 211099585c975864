/** `createDiskArea`: the first step of a build, before anything is written into the root. */
import { AgentFailure } from "../../errors";
import { readAreaRecord } from "./area-record";
import { detectDiskBackend } from "./detect-backend";
import { diskEnv } from "./env";
import { areaPaths } from "./layout";
import { validateDiskLimits, type DiskLimitsInput } from "./limits";
import { withAreaLock } from "./locks";
import { createLoopArea } from "./loop/create-loop-area";
import type { AssignResult } from "./project/assign-tree";
import { createProjectArea } from "./project/project-area";
import type { AreaRecord, DiskEnvOptions, DiskMode } from "./types";
import { withReverter } from "../../reverter";

/** Options of {@link createDiskArea}. */
export interface CreateDiskAreaOptions extends DiskEnvOptions {
  /**
   * Force a mode instead of {@link detectDiskBackend}'s choice. An explicit "project"
   * checks only that quotactl answers, not that the mount enforces (tests, and admins
   * who know their host).
   */
  mode?: DiskMode;
  /** Loop mode: allow a sparse image larger than the host's free space. */
  overcommit?: boolean;
  /** Project mode: tag an already populated root by an fd-only walk instead of refusing. */
  adoptExisting?: boolean;
  /** Project mode: xfs_quota's projects file whose ids are never handed out (default /etc/projects). */
  projectsFile?: string;
}

/** What was created. */
export interface CreatedDiskArea extends AreaRecord {
  name: string;
  /** Project mode with adoptExisting: what the walk did. */
  adopted?: AssignResult;
}

/**
 * Creates the disk area of server `name` with hard limits: the root directory
 * `<rootDir>/NAME` (made if missing, must be empty), and then either a project id on it
 * with quota limits, or a mounted ext4 image of that size. Runs under a reverter: on
 * failure nothing of it is left (no image, loop device, mount, project id or record).
 * Errors: BAD_REQUEST naming `name`/`bytes`/`inodes`; LIMIT_EXCEEDED (`bytes`) when the
 * host lacks the space; CONFLICT when an area or a leftover exists; UNSUPPORTED when no
 * mode works here; KERNEL when a tool fails.
 */
export async function createDiskArea(name: string, limits: DiskLimitsInput, options: CreateDiskAreaOptions = {}): Promise<CreatedDiskArea> {
  const env = diskEnv(options);
  const p = areaPaths(env.paths, name);
  const valid = validateDiskLimits(limits);
  return withAreaLock(p.root, async () => {
    const existing = readAreaRecord(p);
    if (existing.kind === "complete") throw new AgentFailure("CONFLICT", `${name} already has a disk area (${existing.record.mode})`);
    if (existing.kind === "incomplete") {
      throw new AgentFailure("CONFLICT", `${name} has an unfinished disk area from an interrupted create: release it (or reconcile) first`);
    }
    const mode = options.mode ?? detectDiskBackend(env.paths.rootDir, options).mode;
    if (mode === null) throw new AgentFailure("UNSUPPORTED", `no disk-limit mode works on this host: ${detectDiskBackend(env.paths.rootDir, options).reason}`);
    const record = await withReverter((r) =>
      mode === "loop"
        ? createLoopArea(name, p, valid, { overcommit: options.overcommit ?? false }, r)
        : createProjectArea(env, name, p, valid, { adoptExisting: options.adoptExisting ?? false, projectsFile: options.projectsFile }, r),
    );
    return { name, ...record };
  });
}
