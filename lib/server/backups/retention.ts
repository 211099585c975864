/**
 * Retention of scheduled backups (issue 14), computed by the panel: it knows which
 * backups were scheduled and which a customer made on demand (those count against the
 * slots and are never removed by the retention; restic's own `forget --keep-*` would
 * treat both alike). The rules are restic's: for each of the newest N days (weeks,
 * months) that have backups, the newest backup of that period is kept; a backup kept by
 * any rule stays.
 */

/** How many of each period to keep. */
export interface Keep {
  keepDaily: number;
  keepWeekly: number;
  keepMonthly: number;
}

function day(t: Date): string {
  return t.toISOString().slice(0, 10);
}

/** ISO-8601 week (year and week number), in UTC. */
function week(t: Date): string {
  const d = new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate()));
  const dow = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 4 - dow);
  const yearStart = Date.UTC(d.getUTCFullYear(), 0, 1);
  return `${d.getUTCFullYear()}-W${Math.ceil(((d.getTime() - yearStart) / 86_400_000 + 1) / 7)}`;
}

function month(t: Date): string {
  return t.toISOString().slice(0, 7);
}

/** The ids of the backups (scheduled ones, with their times) that the retention removes. */
export function backupsToForget(backups: { id: string; at: Date }[], keep: Keep): string[] {
  const newestFirst = [...backups].sort((a, b) => b.at.getTime() - a.at.getTime() || b.id.localeCompare(a.id));
  const kept = new Set<string>();
  for (const [count, bucket] of [
    [keep.keepDaily, day],
    [keep.keepWeekly, week],
    [keep.keepMonthly, month],
  ] as const) {
    const seen = new Set<string>();
    for (const b of newestFirst) {
      if (seen.size >= count) break;
      const key = bucket(b.at);
      if (seen.has(key)) continue;
      seen.add(key);
      kept.add(b.id);
    }
  }
  return newestFirst.filter((b) => !kept.has(b.id)).map((b) => b.id);
}
