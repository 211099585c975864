/**
 * What a host can do for backups, said before a user tries (issue 14): whether a backup
 * of a running server is a point-in-time view (a reflink copy or a filesystem snapshot
 * while the server is frozen for a moment) or is read while files change. Taken from the
 * host's reported capabilities when its agent states it, else from how its last backup
 * was made.
 */
import type { Db } from "@/lib/db/client";

/** The host's backup consistency as far as the panel knows. */
export interface HostBackupAbilities {
  /** `reflink`/`fs-snapshot`: point-in-time while running; `none`: not; null: not known yet. */
  runningView: "reflink" | "fs-snapshot" | "none" | null;
  /** A sentence for the Backups tab, or null when there is nothing to warn about. */
  warning: string | null;
}

function statedByAgent(capabilities: string): HostBackupAbilities["runningView"] | undefined {
  try {
    const v = (JSON.parse(capabilities) as { backups?: { runningView?: unknown; consistency?: unknown } }).backups;
    const mode = v?.runningView ?? v?.consistency;
    return mode === "reflink" || mode === "fs-snapshot" || mode === "none" ? mode : undefined;
  } catch {
    return undefined;
  }
}

/** What the server's host can do. */
export async function hostBackupAbilities(db: Db, host: { id: string; name: string; capabilities: string }): Promise<HostBackupAbilities> {
  let mode = statedByAgent(host.capabilities);
  if (mode === undefined) {
    const last = await db.backup.findFirst({ where: { hostId: host.id, state: "OK", consistency: { in: ["reflink", "fs-snapshot", "none"] } }, orderBy: { createdAt: "desc" }, select: { consistency: true } });
    mode = (last?.consistency as HostBackupAbilities["runningView"] | undefined) ?? null;
  }
  return {
    runningView: mode,
    warning:
      mode === "none"
        ? `Host ${host.name} cannot make a point-in-time view of a running server (no reflink copies or filesystem snapshots where the servers live): a backup of a running server reads files while they may change. Stop the server first for a consistent backup.`
        : null,
  };
}
