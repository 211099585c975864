/** Adds fields to a job's stored payload (what a resumed job, its undo or a later pass reads back). */
import type { Db } from "@/lib/db/client";

/** Merges `fields` into job `jobId`'s payload, read from the database (not a copy in memory). */
export async function mergeJobPayload(db: Pick<Db, "job">, jobId: string, fields: Record<string, unknown>): Promise<Record<string, unknown>> {
  const { payload } = await db.job.findUniqueOrThrow({ where: { id: jobId }, select: { payload: true } });
  const merged = { ...(JSON.parse(payload) as Record<string, unknown>), ...fields };
  await db.job.update({ where: { id: jobId }, data: { payload: JSON.stringify(merged) } });
  return merged;
}
