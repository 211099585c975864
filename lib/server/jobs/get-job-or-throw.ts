/**
 * Jobs are visible to whoever may see their server (or who created them); support
 * reads all. Another tenant's job is a 404.
 */
import type { Prisma } from "@/generated/prisma/sqlite/client";
import type { Db } from "@/lib/db/client";
import { notFound } from "@/lib/errors";
import type { Actor } from "@/lib/server/actor";
import { visibleServersWhere } from "@/lib/server/vservers/visible-servers-where";

/** A Prisma `where` for jobs visible to the actor. */
export function visibleJobsWhere(actor: Pick<Actor, "userId" | "role">): Prisma.JobWhereInput {
  if (actor.role === "ADMIN" || actor.role === "SUPPORT") return {};
  return { OR: [{ createdById: actor.userId }, { vserver: visibleServersWhere(actor) }] };
}

/** One job with its log lines after `sinceSeq`. */
export async function getJobOrThrow(db: Db, actor: Actor, id: string, sinceSeq = 0) {
  const job = await db.job.findFirst({
    where: { AND: [{ id }, visibleJobsWhere(actor)] },
    include: { lines: { where: { seq: { gt: sinceSeq } }, orderBy: { seq: "asc" }, take: 2000 } },
  });
  if (!job) throw notFound("Job not found");
  return job;
}
