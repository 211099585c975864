/**
 * Applies a server's plan retention to its scheduled backups after each backup: the
 * ones the rules drop are forgotten on their target (restic forget + prune of what only
 * they used) and their rows removed. On-demand backups are left to their owner (slots).
 */
import { AgentError, type AgentClient } from "@/lib/agent-client";
import type { Db } from "@/lib/db/client";
import { backupsToForget, type Keep } from "./retention";

/** Forgets what the retention drops; returns the removed backups' ids. */
export async function applyRetention(db: Db, agent: AgentClient, vserverId: string, keep: Keep): Promise<string[]> {
  const scheduled = await db.backup.findMany({ where: { vserverId, scheduled: true, state: "OK", snapshotId: { not: null } }, include: { target: true } });
  const drop = new Set(backupsToForget(scheduled.map((b) => ({ id: b.id, at: b.takenAt ?? b.createdAt })), keep));
  const removed: string[] = [];
  for (const b of scheduled) {
    if (!drop.has(b.id)) continue;
    const claimed = await db.backup.updateMany({ where: { id: b.id, state: "OK" }, data: { state: "DELETING" } });
    if (claimed.count !== 1) continue;
    try {
      await agent.deleteBackup({ target: b.target.key, name: b.serverName, owner: b.serverKey, snapshot: b.snapshotId! }, { timeoutMs: 30 * 60_000 });
    } catch (error) {
      // Gone already is what we wanted; anything else leaves the backup listed.
      if (!(error instanceof AgentError && error.code === "NOT_FOUND")) {
        await db.backup.update({ where: { id: b.id }, data: { state: "OK" } });
        throw error;
      }
    }
    await db.backup.delete({ where: { id: b.id } });
    removed.push(b.id);
  }
  return removed;
}
