/** How many jobs failed, for the support overview. */
import type { Db } from "@/lib/db/client";
import { notFound } from "@/lib/errors";
import type { Actor } from "@/lib/server/actor";

/** The number of failed jobs; support and admins only. */
export async function countFailedJobs(db: Db, actor: Actor): Promise<number> {
  if (actor.role !== "SUPPORT" && actor.role !== "ADMIN") throw notFound();
  return db.job.count({ where: { state: "FAILED" } });
}
