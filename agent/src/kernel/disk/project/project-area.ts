/**
 * The project-quota backend. A server's root is a plain directory on the roots'
 * filesystem, tagged with the server's project id and FS_XFLAG_PROJINHERIT while it is
 * still empty, so every file created below carries the id without a tree walk. The
 * kernel charges space and inodes to the id and answers EDQUOT at the hard limits,
 * which change live in both directions.
 */
import fs from "node:fs";
import { constants as C, isNativeError, openat2 } from "@/native";
import { AgentFailure } from "../../../errors";
import { formatSize } from "../../units";
import { commitAreaRecord, makeRecordDir, removeAreaRecord, writeLimits, writeProjid } from "../area-record";
import type { AreaPaths } from "../layout";
import { withAllocationLock } from "../locks";
import type { AreaRecord, DiskEnv, DiskLimitChange, DiskLimits, DiskUsage } from "../types";
import type { Reverter } from "../../../reverter";
import { allocateProjid } from "./allocate-projid";
import { assignProjectTree, tagFd, type AssignResult } from "./assign-tree";
import { QUOTA_BLOCK, type QuotaLayer } from "./quota-layer";

/** Opens the root (a directory, no symlink, on the roots' filesystem) for ioctls and quotactl. */
export function openProjectRoot(p: AreaPaths, rootDir: string): number {
  const fd = openat2(C.AT_FDCWD, p.root, C.O_RDONLY | C.O_DIRECTORY | C.O_NOFOLLOW);
  if (fs.fstatSync(fd).dev !== fs.statSync(rootDir).dev) {
    fs.closeSync(fd);
    throw new AgentFailure("CONFLICT", `${p.root} is a mount point, not a directory on the filesystem of ${rootDir}: project quotas cannot limit it`);
  }
  return fd;
}

/** Throws UNSUPPORTED unless project quota is on for the filesystem of `fd`. */
export function requireProjectQuota(quota: QuotaLayer, fd: number, where: string): void {
  try {
    quota.info(fd);
  } catch (e) {
    if (!isNativeError(e)) throw e;
    throw new AgentFailure("UNSUPPORTED", `project quota is not on for ${where} (quotactl: ${e.code}); see detectDiskBackend`, undefined, { cause: e });
  }
}

/** Sets both hard limits (soft limits off: a grace period would only blur the limit). */
export function applyLimits(quota: QuotaLayer, fd: number, projid: number, limits: DiskLimits): void {
  quota.set(fd, projid, { bhardlimit: limits.bytes / QUOTA_BLOCK, bsoftlimit: 0, ihardlimit: limits.inodes, isoftlimit: 0 });
}

/** Options of {@link createProjectArea}. */
export interface ProjectCreateOptions {
  /** Tag an already populated root by walking it (fds only) instead of refusing. */
  adoptExisting: boolean;
  /** xfs_quota's projects file, whose ids are never handed out. */
  projectsFile?: string;
}

/** Runs `work` with the root opened (and closed again whatever happens). */
function withRoot<T>(env: DiskEnv, p: AreaPaths, work: (fd: number) => T): T {
  const fd = openProjectRoot(p, env.paths.rootDir);
  try {
    return work(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Runs the project-mode create under the caller's reverter. */
export async function createProjectArea(
  env: DiskEnv,
  name: string,
  p: AreaPaths,
  limits: DiskLimits,
  options: ProjectCreateOptions,
  r: Reverter,
): Promise<AreaRecord & { adopted?: AssignResult }> {
  if (!fs.existsSync(p.root)) {
    fs.mkdirSync(p.root, { mode: 0o755 });
    r.push(`remove ${p.root}`, () => fs.rmdirSync(p.root));
  }
  const populated = withRoot(env, p, (fd) => {
    requireProjectQuota(env.quota, fd, p.root);
    return fs.readdirSync(p.root).length > 0;
  });
  if (populated && !options.adoptExisting) {
    throw new AgentFailure("CONFLICT", `${p.root} is not empty: create the disk area before the build, or adopt the existing tree`);
  }
  const projid = await withAllocationLock(env.paths.confDir, async () => {
    const made = makeRecordDir(p);
    r.push(`remove the record of ${name}`, () => {
      removeAreaRecord(p);
      for (const dir of made.reverse()) fs.rmSync(dir, { recursive: true, force: true });
    });
    const id = withRoot(env, p, (fd) => allocateProjid(env.quota, fd, env.paths.confDir, options.projectsFile));
    writeProjid(p, id); // before the lock is let go: the next allocation sees it
    return id;
  });
  // Undo steps open the root again rather than keep an fd across the whole create.
  const before = withRoot(env, p, (fd) => env.quota.getFsxattr(fd));
  r.push(`untag ${p.root}`, () => withRoot(env, p, (fd) => env.quota.setFsxattr(fd, { projid: before.projid, xflags: before.xflags >>> 0 })));
  // Taking a walk back would need another walk: on failure only the root goes back,
  // and the files keep an id that no record names (allocation skips charged ids).
  const adopted = withRoot(env, p, (fd) => (populated ? assignProjectTree(env.quota, fd, projid) : void tagFd(env.quota, fd, projid, true)));
  withRoot(env, p, (fd) => applyLimits(env.quota, fd, projid, limits));
  r.push(`clear the quota of project ${projid}`, () => withRoot(env, p, (fd) => applyLimits(env.quota, fd, projid, { bytes: 0, inodes: 0 })));
  const record: AreaRecord = { mode: "project", directory: p.root, limits, projid };
  commitAreaRecord(p, record);
  return adopted ? { ...record, adopted } : record;
}

/** Reads what the kernel charges to the server's project. */
export function projectUsage(env: DiskEnv, p: AreaPaths, record: AreaRecord): DiskUsage {
  return withRoot(env, p, (fd) => {
    const q = env.quota.get(fd, record.projid!);
    const bytesLimit = q.bhardlimit * QUOTA_BLOCK;
    const s = fs.statfsSync(p.root);
    return {
      mode: "project",
      bytesUsed: q.curspace,
      bytesLimit,
      bytesAvailable: Math.max(0, Math.min(bytesLimit - q.curspace, s.bavail * s.bsize)),
      inodesUsed: q.curinodes,
      inodesLimit: q.ihardlimit,
      mounted: true,
    };
  });
}

/** Changes the limits live; a limit below current usage is refused (delete files first). */
export function setProjectLimit(env: DiskEnv, p: AreaPaths, record: AreaRecord, change: DiskLimitChange): DiskLimits {
  return withRoot(env, p, (fd) => {
    requireProjectQuota(env.quota, fd, p.root);
    const q = env.quota.get(fd, record.projid!);
    if (change.bytes !== undefined && change.bytes < q.curspace) {
      throw new AgentFailure("LIMIT_EXCEEDED", `bytes: ${formatSize(change.bytes)} is below the ${formatSize(q.curspace)} in use; delete files first`, "bytes");
    }
    if (change.inodes !== undefined && change.inodes < q.curinodes) {
      throw new AgentFailure("LIMIT_EXCEEDED", `inodes: ${change.inodes} is below the ${q.curinodes} in use; delete files first`, "inodes");
    }
    const limits = { ...record.limits, ...change };
    // The record first: it is what ensureMounted puts back into the kernel, so a crash
    // between the two steps must leave the new intent there, not the old one.
    writeLimits(p, limits);
    try {
      applyLimits(env.quota, fd, record.projid!, limits);
    } catch (e) {
      writeLimits(p, record.limits);
      throw e;
    }
    return limits;
  });
}

/**
 * Checks, before a start, that the quota is on and the root still carries its id and
 * PROJINHERIT; re-tags the root if not (returns true then). Files a guest already moved
 * out of its project stay out: that is what the seccomp rule in README.md prevents.
 */
export function ensureProjectArea(env: DiskEnv, p: AreaPaths, record: AreaRecord): boolean {
  return withRoot(env, p, (fd) => {
    requireProjectQuota(env.quota, fd, p.root);
    const x = env.quota.getFsxattr(fd);
    const q = env.quota.get(fd, record.projid!);
    const limitsOk = q.bhardlimit * QUOTA_BLOCK === record.limits.bytes && q.ihardlimit === record.limits.inodes;
    if (!limitsOk) applyLimits(env.quota, fd, record.projid!, record.limits); // e.g. quota files restored from a backup
    if (x.projid === record.projid && (x.xflags & C.FS_XFLAG_PROJINHERIT) !== 0) return !limitsOk;
    tagFd(env.quota, fd, record.projid!, true);
    return true;
  });
}

/**
 * Lifts the limits and forgets the id. The tree (and what it is charged) goes with the
 * server's delete, before or after this; quotactl goes through the roots' directory,
 * which is on the same filesystem and still there when the root is gone.
 */
export function releaseProjectArea(env: DiskEnv, p: AreaPaths, projid: number | undefined): void {
  if (projid !== undefined) {
    const fd = openat2(C.AT_FDCWD, env.paths.rootDir, C.O_RDONLY | C.O_DIRECTORY);
    try {
      applyLimits(env.quota, fd, projid, { bytes: 0, inodes: 0 });
    } catch (e) {
      if (!isNativeError(e, "ESRCH")) throw e; // quota off: no limit to lift
    } finally {
      fs.closeSync(fd);
    }
  }
  removeAreaRecord(p);
}
