/** What pages and the API show of a backup (plain numbers: sizes are BigInt in the database). */
import type { Backup } from "@/generated/prisma/sqlite/client";

/** A backup for lists, the API and the browser. */
export interface BackupView {
  id: string;
  serverId: string | null;
  serverName: string;
  state: string;
  scheduled: boolean;
  note: string;
  snapshotId: string | null;
  shortId: string | null;
  takenAt: string | null;
  createdAt: string;
  addedBytes: number | null;
  totalBytes: number | null;
  files: number | null;
  durationMs: number | null;
  freezeMs: number | null;
  consistency: string | null;
  error: string | null;
  jobId: string | null;
  targetId: string;
}

/** Turns a row into its view. */
export function backupView(b: Backup): BackupView {
  return {
    id: b.id,
    serverId: b.vserverId,
    serverName: b.serverName,
    state: b.state,
    scheduled: b.scheduled,
    note: b.note,
    snapshotId: b.snapshotId,
    shortId: b.snapshotId ? b.snapshotId.slice(0, 8) : null,
    takenAt: b.takenAt?.toISOString() ?? null,
    createdAt: b.createdAt.toISOString(),
    addedBytes: b.addedBytes === null ? null : Number(b.addedBytes),
    totalBytes: b.totalBytes === null ? null : Number(b.totalBytes),
    files: b.files,
    durationMs: b.durationMs,
    freezeMs: b.freezeMs,
    consistency: b.consistency,
    error: b.error,
    jobId: b.jobId,
    targetId: b.targetId,
  };
}
