/**
 * Backups of terminated servers (issue 14): they stay for the admin's grace period after
 * the server is gone (a mistaken termination can still be undone by a restore as a new
 * server), then every snapshot of that server is forgotten on its target and pruned.
 */
import type { Db } from "@/lib/db/client";
import { backupGraceDays } from "./backup-settings";
import { hostAgent } from "./host-agent";

/** Marks backups whose server is gone (the server row was deleted) with the time it was noticed. */
export async function markOrphanedBackups(db: Db, now = new Date()): Promise<number> {
  const r = await db.backup.updateMany({ where: { vserverId: null, orphanedAt: null }, data: { orphanedAt: now } });
  return r.count;
}

/** Prunes the backups whose grace ran out; returns how many rows went. Failures stay for the next run. */
export async function pruneOrphanedBackups(db: Db, now = new Date()): Promise<{ removed: number; errors: string[] }> {
  const graceDays = await backupGraceDays(db);
  const cutoff = new Date(now.getTime() - graceDays * 86_400_000);
  const due = await db.backup.findMany({ where: { vserverId: null, orphanedAt: { lte: cutoff } }, include: { target: true } });
  const groups = new Map<string, typeof due>();
  for (const b of due) {
    const key = `${b.hostId}\u0000${b.targetId}\u0000${b.serverKey}`;
    groups.set(key, [...(groups.get(key) ?? []), b]);
  }
  let removed = 0;
  const errors: string[] = [];
  for (const rows of groups.values()) {
    const first = rows[0]!;
    try {
      if (rows.some((b) => b.snapshotId)) {
        const agent = await hostAgent(db, first.hostId, 30 * 60_000)();
        // All counts 0: every snapshot of that server (by name and the panel's id) goes.
        await agent.pruneBackups({ target: first.target.key, name: first.serverName, owner: first.serverKey, retention: { keepLast: 0, keepDaily: 0, keepWeekly: 0, keepMonthly: 0 } });
      }
      removed += (await db.backup.deleteMany({ where: { id: { in: rows.map((b) => b.id) } } })).count;
    } catch (error) {
      errors.push(`${first.serverName}: ${(error as Error).message}`);
    }
  }
  return { removed, errors };
}
