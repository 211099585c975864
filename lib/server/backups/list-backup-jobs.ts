/** The latest backup jobs of a server the caller has already loaded (its Backups tab). */
import type { Db } from "@/lib/db/client";

/** Up to five, newest first. */
export async function listBackupJobs(db: Db, server: { id: string }) {
  return db.job.findMany({ where: { vserverId: server.id, type: { startsWith: "backup." } }, orderBy: { createdAt: "desc" }, take: 5 });
}
