/**
 * `vunify NAME… | --all` and the API's unifyVservers: identical files of servers that
 * live on ONE filesystem with shared extents (XFS with reflink=1, btrfs) share their
 * storage (dedupe-files.ts); each server can still change its copy. Servers are grouped
 * by filesystem; a group of one server (every loop-image server has its own ext4) has
 * nothing to share across servers, and a filesystem without reflinks is reported and
 * left untouched. Running servers may be unified (the kernel compares and shares
 * atomically). One run at a time per host (lock `.unify`).
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { closeSync } from "node:fs";
import { constants as C, fstatat, openat2 } from "@/native";
import type { HostPaths } from "../../config/paths";
import { configFiles, listServerNames } from "../../config/vserver/layout";
import { checkVserverName } from "../../config/vserver/names";
import { readVserverConfig } from "../../config/vserver/read-config";
import { AgentFailure, badInput } from "../../errors";
import { IN_ROOT } from "../../kernel/guestfs/guest-path";
import { openGuestRoot } from "../../kernel/guestfs/open-guest-root";
import { diskModeOf } from "../disk/disk-area";
import { withLock } from "../locks";
import { dedupeCandidates } from "./dedupe-files";
import { loadRules, type Family } from "./exclude-list";
import { scanServer, type Candidate, type ScannedServer } from "./scan-servers";
import { readUnifyReport, saveUnifyReport, type UnifyReport } from "./unify-report";

/** What to unify. */
export interface UnifyRequest {
  /** Servers (absent or empty with `all`: every server of the host). */
  names?: string[];
  all?: boolean;
  /** Only find and count what could be shared. */
  dryRun?: boolean;
  log?: (line: string) => void;
  progress?: (percent: number) => void;
}

const FS_NAMES: Record<number, string> = { 0x58465342: "xfs", 0x9123683e: "btrfs", 0xef53: "ext4", 0x01021994: "tmpfs", 0x6969: "nfs", 0x794c7630: "overlay" };
const SHARING = new Set(["xfs", "btrfs"]);

function familyOf(rootFd: number): Family {
  const exists = (p: string) => {
    try {
      closeSync(openat2(rootFd, p, C.O_PATH, 0, IN_ROOT));
      return true;
    } catch {
      return false;
    }
  };
  if (exists("/var/lib/dpkg/status")) return "debian";
  if (exists("/var/lib/rpm") || exists("/usr/lib/sysimage/rpm")) return "rpm";
  return "other";
}

function usedBytes(root: string): number {
  spawnSync("sync", ["-f", root], { stdio: "ignore" });
  const s = fs.statfsSync(root);
  return (s.blocks - s.bfree) * s.bsize;
}

/** Runs vunify; returns (and, unless a dry run, stores) the report. */
export async function unifyVservers(paths: HostPaths, req: UnifyRequest): Promise<UnifyReport> {
  const log = req.log ?? (() => undefined);
  const progress = req.progress ?? (() => undefined);
  const names = req.names?.length ? [...new Set(req.names)] : req.all ? listServerNames(paths) : [];
  if (names.length === 0) throw badInput("names", "name the servers to unify, or all of them");
  for (const n of names) {
    checkVserverName(n);
    if (!fs.existsSync(configFiles(paths, n).dir)) throw new AgentFailure("NOT_FOUND", `no vserver named "${n}"`, "names");
  }
  return withLock(paths, ".unify", "vunify", () => run(paths, names, req.dryRun ?? false, log, progress), 1000);
}

async function run(paths: HostPaths, names: string[], dryRun: boolean, log: (l: string) => void, progress: (p: number) => void): Promise<UnifyReport> {
  const startedAt = new Date().toISOString();
  const servers: (ScannedServer & { root: string; loop: boolean })[] = [];
  try {
    for (const name of names) {
      if (fs.existsSync(configFiles(paths, name).incomplete)) {
        log(`${name}: left out (being built)`);
        continue;
      }
      const cfg = readVserverConfig(paths, name);
      const rootFd = openGuestRoot(cfg.root);
      const dev = fstatat(rootFd, "", C.AT_EMPTY_PATH).dev;
      const rules = loadRules(paths, cfg.distribution, familyOf(rootFd));
      servers.push({ name, rootFd, dev, rules, files: 0, bytes: 0, root: cfg.root, loop: diskModeOf(paths, name) === "loop" });
    }
    const byDev = new Map<number, typeof servers>();
    for (const s of servers) byDev.set(s.dev, [...(byDev.get(s.dev) ?? []), s]);
    const report: UnifyReport = {
      startedAt, finishedAt: startedAt, dryRun, servers: servers.map((s) => s.name), filesystems: [], perServer: [],
      scannedFiles: 0, scannedBytes: 0, groups: 0, sharedFiles: 0, sharedBytes: 0, changedFiles: 0,
      savedBytes: 0, totalSavedBytes: readUnifyReport(paths)?.totalSavedBytes ?? 0, errors: [], message: "",
    };
    let done = 0;
    for (const [dev, group] of byDev) {
      const fsType = FS_NAMES[fs.statfsSync(group[0]!.root).type] ?? `0x${fs.statfsSync(group[0]!.root).type.toString(16)}`;
      const entry = {
        device: String(dev), fsType, servers: group.map((s) => s.name), supported: SHARING.has(fsType), reason: null as string | null,
        usedBytesBefore: 0, usedBytesAfter: 0, savedBytes: 0, groups: 0, sharedFiles: 0, sharedBytes: 0,
      };
      report.filesystems.push(entry);
      if (!entry.supported) {
        entry.reason = group.every((s) => s.loop)
          ? `${fsType} loop disk image${group.length > 1 ? "s" : ""}: each such server has its own filesystem, so nothing can be shared across servers; vunify needs servers on one shared XFS (reflink=1) or btrfs filesystem`
          : `${fsType} cannot share file data between files (vunify needs XFS with reflink=1 or btrfs)`;
        log(`${entry.servers.join(", ")}: ${entry.reason}; nothing done`);
        continue;
      }
      if (group.length < 2) {
        entry.reason = "only one server on this filesystem: nothing to share across servers";
        log(`${entry.servers[0]}: ${entry.reason}`);
        continue;
      }
      entry.usedBytesBefore = usedBytes(group[0]!.root);
      const cands: Candidate[] = [];
      for (const s of group) {
        await scanServer(s, cands, (rel, why) => log(`${s.name}:/${rel.toString("utf8")}: ${why}`));
        log(`${s.name}: ${s.files} files, ${s.bytes} bytes to compare (exclude list: ${s.rules.source})`);
        progress(Math.round(5 + (++done / servers.length) * 40));
      }
      const st = await dedupeCandidates(cands, log, dryRun);
      entry.groups = st.groups;
      entry.sharedFiles = st.files;
      entry.sharedBytes = st.bytes;
      report.changedFiles += st.changed;
      report.errors.push(...st.errors.slice(0, 100));
      if (st.unsupported) {
        entry.supported = false;
        entry.reason = st.unsupported;
        log(`${entry.servers.join(", ")}: ${st.unsupported}; nothing done`);
      }
      entry.usedBytesAfter = usedBytes(group[0]!.root);
      entry.savedBytes = Math.max(0, entry.usedBytesBefore - entry.usedBytesAfter);
    }
    for (const s of servers) report.perServer.push({ name: s.name, scannedFiles: s.files, scannedBytes: s.bytes, excludeList: s.rules.source });
    report.scannedFiles = servers.reduce((a, s) => a + s.files, 0);
    report.scannedBytes = servers.reduce((a, s) => a + s.bytes, 0);
    for (const f of report.filesystems) {
      report.groups += f.groups;
      report.sharedFiles += f.sharedFiles;
      report.sharedBytes += f.sharedBytes;
      report.savedBytes += f.savedBytes;
    }
    report.finishedAt = new Date().toISOString();
    const usable = report.filesystems.some((f) => f.supported && f.servers.length > 1);
    report.message = !usable
      ? "nothing could be shared: the servers are not on one filesystem with reflinks (XFS reflink=1 or btrfs)"
      : dryRun
        ? `${report.sharedFiles} files (${report.sharedBytes} bytes) could share their data`
        : `${report.sharedFiles} files share their data now; the filesystem uses ${report.savedBytes} bytes less`;
    if (!dryRun) {
      report.totalSavedBytes += report.savedBytes;
      saveUnifyReport(paths, report);
    }
    log(report.message);
    progress(100);
    return report;
  } finally {
    for (const s of servers) closeSync(s.rootFd);
  }
}
