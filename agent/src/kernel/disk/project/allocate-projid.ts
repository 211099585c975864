/**
 * Project ids, unique per host: the lowest id from PROJID_FIRST up that no server
 * records, that /etc/projects does not name (ids an admin gave to other directories),
 * and that the filesystem charges nothing to (files of a deleted server that still
 * carry its id would otherwise be counted against the next one).
 */
import fs from "node:fs";
import path from "node:path";
import { isNativeError } from "@/native";
import { AgentFailure } from "../../../errors";
import type { QuotaLayer } from "./quota-layer";

/** Ids below this are left to the admin (xfs_quota's own projects, /etc/projects). */
export const PROJID_FIRST = 10000;
/** 2^32 - 2: (projid_t)-1 is the kernel's "invalid" id. */
export const PROJID_LAST = 2 ** 32 - 2;
/** How many charged-but-unrecorded ids to step over before giving up. */
const MAX_SKIPS = 100_000;

/** The project ids recorded under `<confDir>/*\/dlimits/projid`. */
export function recordedProjids(confDir: string): Set<number> {
  const ids = new Set<number>();
  let names: string[];
  try {
    names = fs.readdirSync(confDir);
  } catch {
    return ids;
  }
  for (const name of names) {
    if (name.startsWith(".")) continue;
    try {
      const value = fs.readFileSync(path.join(confDir, name, "dlimits", "projid"), "utf8").trim();
      if (/^\d+$/.test(value)) ids.add(Number(value));
    } catch {
      // no project-mode area
    }
  }
  return ids;
}

/** Ids named in an xfs_quota-style projects file ("id:path" per line). */
export function projectsFileIds(file = "/etc/projects"): Set<number> {
  const ids = new Set<number>();
  let text = "";
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    return ids;
  }
  for (const line of text.split("\n")) {
    const m = /^\s*(\d+)\s*:/.exec(line);
    if (m) ids.add(Number(m[1]));
  }
  return ids;
}

/** Whether the filesystem has any usage or limit on `id` (XFS: ENOENT = never used). */
export function projidInUse(quota: QuotaLayer, fd: number, id: number): boolean {
  try {
    const q = quota.get(fd, id);
    return q.curspace > 0 || q.curinodes > 0 || q.bhardlimit > 0 || q.bsoftlimit > 0 || q.ihardlimit > 0 || q.isoftlimit > 0;
  } catch (e) {
    if (isNativeError(e, "ENOENT")) return false;
    throw e;
  }
}

/** Picks a free id; the caller holds the allocation lock and records it at once. */
export function allocateProjid(quota: QuotaLayer, fd: number, confDir: string, projectsFile?: string): number {
  const taken = new Set([...recordedProjids(confDir), ...projectsFileIds(projectsFile)]);
  let skips = 0;
  for (let id = PROJID_FIRST; id <= PROJID_LAST; id++) {
    if (taken.has(id)) continue;
    if (!projidInUse(quota, fd, id)) return id;
    if (++skips > MAX_SKIPS) break;
  }
  throw new AgentFailure("LIMIT_EXCEEDED", `no free project id from ${PROJID_FIRST} (${skips} ids in use on the filesystem without a server)`);
}
