/** Appends lines to a job's log with increasing sequence numbers. */
import type { Db } from "@/lib/db/client";

/** Appends `lines` after the job's last line; returns the new last sequence number. */
export async function appendJobLines(db: Db, jobId: string, lines: string[], stream = "out"): Promise<number> {
  if (lines.length === 0) return (await db.jobLogLine.aggregate({ where: { jobId }, _max: { seq: true } }))._max.seq ?? 0;
  const last = (await db.jobLogLine.aggregate({ where: { jobId }, _max: { seq: true } }))._max.seq ?? 0;
  await db.jobLogLine.createMany({ data: lines.map((text, i) => ({ jobId, seq: last + 1 + i, stream, text: text.slice(0, 4000) })) });
  return last + lines.length;
}
