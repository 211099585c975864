/** The latest jobs of one server, for its page. */
import type { Db } from "@/lib/db/client";
import type { ServerDetail } from "@/lib/server/vservers/get-server-or-throw";

/** The last ten jobs of `server` (one the caller loaded through getServerOrThrow), newest first. */
export async function listServerJobs(db: Db, server: Pick<ServerDetail, "id">) {
  return db.job.findMany({ where: { vserverId: server.id }, orderBy: { createdAt: "desc" }, take: 10, include: { createdBy: { select: { email: true } } } });
}
