/**
 * listBackupTargets / putBackupTarget / deleteBackupTarget: the host's targets with what
 * the admin needs to see of each (repository size, free space, snapshot count, last
 * check, the problem when it cannot be used), and the host's SSH public key.
 */
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import type { BackupLocation, BackupTargetInfo } from "@/lib/protocol/backups";
import type { HostPaths } from "../../config/paths";
import { badInput } from "../../errors";
import { runRestic } from "../../kernel/backup/run-restic";
import { openRepository, repositoryOpens } from "./repository";
import { resticSnapshots } from "./snapshots";
import { pinHostKey } from "./ssh-identity";
import { listTargetIds, readLastCheck, readLocation, removeTarget, resticRepo, targetDir, writeTarget } from "./target-store";

const stats = z.object({ total_size: z.number() });

function freeBytesAt(dir: string): number | null {
  for (let d = dir; ; d = path.dirname(d)) {
    try {
      const s = fs.statfsSync(d);
      return s.bavail * s.bsize;
    } catch {
      if (d === "/") return null;
    }
  }
}

/** What the host knows of target `id` now (never throws for an unusable one: `problem` says why). */
export async function describeTarget(paths: HostPaths, id: string): Promise<BackupTargetInfo> {
  const location = readLocation(paths, id)!;
  const info: BackupTargetInfo = {
    id, location, initialized: false, repositoryBytes: null,
    freeBytes: location.kind === "local" ? freeBytesAt(location.path) : null,
    snapshots: 0, lastCheck: readLastCheck(paths, id), problem: null,
  };
  try {
    const repo = resticRepo(paths, id);
    if (!(await repositoryOpens(repo))) {
      info.problem = id === "local" ? null : "the repository cannot be opened (not initialized, unreachable or a wrong password)";
      return info;
    }
    info.initialized = true;
    info.snapshots = (await resticSnapshots(repo)).length;
    const s = await runRestic(repo, ["stats", "--json", "--no-lock", "--mode", "raw-data"]);
    info.repositoryBytes = stats.parse(JSON.parse(s.stdout)).total_size;
  } catch (e) {
    info.problem = (e as Error).message;
  }
  return info;
}

/** Every target of the host. */
export async function listBackupTargets(paths: HostPaths): Promise<BackupTargetInfo[]> {
  const out: BackupTargetInfo[] = [];
  for (const id of listTargetIds(paths)) if (readLocation(paths, id)) out.push(await describeTarget(paths, id));
  return out;
}

/** Adds or changes a target and initializes its repository; an unusable one is refused and its old location kept. */
export async function putBackupTarget(paths: HostPaths, id: string, location: BackupLocation): Promise<BackupTargetInfo> {
  if (location.kind === "local") {
    const p = path.resolve(location.path);
    for (const inside of [paths.rootDir, paths.confDir + "/"].filter(Boolean)) {
      if (p === paths.rootDir || p.startsWith(inside.endsWith("/") ? inside : `${inside}/`)) {
        if (!p.startsWith(path.join(paths.confDir, ".agent") + "/")) throw badInput("location.path", "must not be inside the servers' roots or configuration");
      }
    }
  }
  const locFile = path.join(targetDir(paths, id), "location.json");
  const before = fs.existsSync(locFile) ? fs.readFileSync(locFile) : null;
  const knownFile = path.join(targetDir(paths, id), "known_hosts");
  const knownBefore = fs.existsSync(knownFile) ? fs.readFileSync(knownFile) : null;
  try {
    writeTarget(paths, id, location);
    if (location.kind === "sftp") pinHostKey(paths, id, location);
    await openRepository(paths, id);
  } catch (e) {
    if (before) fs.writeFileSync(locFile, before, { mode: 0o600 });
    else fs.rmSync(locFile, { force: true });
    if (knownBefore) fs.writeFileSync(knownFile, knownBefore, { mode: 0o600 });
    else fs.rmSync(knownFile, { force: true });
    throw e;
  }
  return describeTarget(paths, id);
}

/** Forgets a target on this host. */
export function deleteBackupTarget(paths: HostPaths, id: string, destroySecret: boolean): void {
  removeTarget(paths, id, destroySecret);
}
