/** Every job, newest first, a page at a time (the support view of the job queue). */
import type { Db } from "@/lib/db/client";
import { notFound } from "@/lib/errors";
import type { Actor } from "@/lib/server/actor";

const pageSize = 50;

/** A page of jobs (only failed ones with `failedOnly`) and their total; support and admins only. */
export async function listJobs(db: Db, actor: Actor, opts: { page: number; failedOnly: boolean }) {
  if (actor.role !== "SUPPORT" && actor.role !== "ADMIN") throw notFound();
  const where = opts.failedOnly ? { state: "FAILED" as const } : {};
  const [jobs, total] = await Promise.all([
    db.job.findMany({ where, orderBy: { createdAt: "desc" }, take: pageSize, skip: (opts.page - 1) * pageSize, include: { vserver: { select: { id: true, name: true } }, createdBy: { select: { email: true } } } }),
    db.job.count({ where }),
  ]);
  return { jobs, total, pageSize };
}
