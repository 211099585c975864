/**
 * One panel instance runs the backup schedule at a time: a lease in the settings table,
 * taken by compare-and-set (two instances cannot both make the same scheduled backup);
 * an instance that died loses it when it runs out.
 */
import type { Db } from "@/lib/db/client";

const key = "backups.scheduleLease";

/** Takes (or renews) the lease for `runner` until `now + ms`; false when another holds it. */
export async function takeScheduleLease(db: Db, runner: string, ms: number, now = new Date()): Promise<boolean> {
  const value = JSON.stringify({ runner, until: now.getTime() + ms });
  const row = await db.setting.findUnique({ where: { key } });
  if (!row) {
    try {
      await db.setting.create({ data: { key, value } });
      return true;
    } catch {
      return false;
    }
  }
  const held = JSON.parse(row.value) as { runner?: string; until?: number };
  if (held.runner !== runner && (held.until ?? 0) > now.getTime()) return false;
  const taken = await db.setting.updateMany({ where: { key, value: row.value }, data: { value } });
  return taken.count === 1;
}
