/**
 * The result of a vunify run, and the host's last one kept in
 * `VSERVER_CONFDIR/.agent/unify-report.json` for the panel (getUnifyReport), with the
 * savings of all runs added up. Sharing breaks where a guest later rewrites a file, so
 * the running total is an upper bound; each run's `savedBytes` is measured (statfs of
 * the shared filesystem before and after, synced).
 */
import fs from "node:fs";
import path from "node:path";
import { unifyReport, type UnifyReport } from "@/lib/protocol/vserver-provisioning";
import type { HostPaths } from "../../config/paths";
import { agentStateDir } from "../../config/paths";
import { writeAtomic } from "../../config/vserver/value-files";

export type { UnifyReport };

/** Where the last report lives. */
export function reportFile(paths: HostPaths): string {
  return path.join(agentStateDir(paths), "unify-report.json");
}

/** The host's last report, or null when vunify never ran (or the file is unreadable). */
export function readUnifyReport(paths: HostPaths): UnifyReport | null {
  try {
    return unifyReport.parse(JSON.parse(fs.readFileSync(reportFile(paths), "utf8")));
  } catch {
    return null;
  }
}

/** Stores `r` as the last report (a dry run is not stored). */
export function saveUnifyReport(paths: HostPaths, r: UnifyReport): void {
  fs.mkdirSync(agentStateDir(paths), { recursive: true, mode: 0o700 });
  writeAtomic(reportFile(paths), `${JSON.stringify(r, null, 2)}\n`, 0o600);
}
