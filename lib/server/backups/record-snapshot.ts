/**
 * After the agent made a backup: finds its snapshot on the target (the server's newest
 * one that no backup row names yet) and writes its figures onto the row. A backup whose
 * snapshot cannot be found is not counted as made.
 */
import type { AgentClient } from "@/lib/agent-client";
import type { Db } from "@/lib/db/client";
import type { BackupSnapshot } from "@/lib/protocol/backups";

/** The snapshot recorded, or null when the target has none that is new. */
export async function recordSnapshot(db: Db, agent: AgentClient, backup: { id: string; serverName: string; serverKey: string; targetId: string }, targetKey: string): Promise<BackupSnapshot | null> {
  const { snapshots } = await agent.listBackups({ target: targetKey, name: backup.serverName, owner: backup.serverKey });
  const known = new Set(
    (await db.backup.findMany({ where: { targetId: backup.targetId, snapshotId: { in: snapshots.map((s) => s.id) } }, select: { snapshotId: true } })).map((b) => b.snapshotId),
  );
  const fresh = snapshots.filter((s) => !known.has(s.id)).sort((a, b) => b.time.localeCompare(a.time))[0];
  if (!fresh) return null;
  await db.backup.update({
    where: { id: backup.id },
    data: {
      state: "OK",
      snapshotId: fresh.id,
      takenAt: new Date(fresh.time),
      addedBytes: BigInt(Math.round(fresh.addedBytes)),
      totalBytes: BigInt(Math.round(fresh.totalBytes)),
      files: fresh.files,
      durationMs: Math.round(fresh.durationMs),
      freezeMs: fresh.freezeMs === null ? null : Math.round(fresh.freezeMs),
      consistency: fresh.consistency,
      error: null,
    },
  });
  return fresh;
}
