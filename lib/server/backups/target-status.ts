/** What each host last said about a backup target, kept on the target's row for the admin's page. */
import type { Db } from "@/lib/db/client";
import type { BackupTargetInfo } from "@/lib/protocol/backups";

/** One host's view of a target. */
export interface TargetHostStatus {
  at: string;
  info: BackupTargetInfo | null;
  /** Why the host could not answer or use it. */
  problem: string | null;
}

/** Reads the per-host status map of a target row. */
export function targetStatusOf(json: string): Record<string, TargetHostStatus> {
  try {
    const v = JSON.parse(json) as unknown;
    return typeof v === "object" && v !== null ? (v as Record<string, TargetHostStatus>) : {};
  } catch {
    return {};
  }
}

/** Stores one host's view (the others' stay). */
export async function recordTargetStatus(db: Db, targetId: string, hostId: string, info: BackupTargetInfo | null, problem: string | null): Promise<void> {
  const row = await db.backupTarget.findUnique({ where: { id: targetId }, select: { status: true } });
  if (!row) return;
  const status = targetStatusOf(row.status);
  status[hostId] = { at: new Date().toISOString(), info, problem: problem ?? info?.problem ?? null };
  await db.backupTarget.update({ where: { id: targetId }, data: { status: JSON.stringify(status) } });
}
