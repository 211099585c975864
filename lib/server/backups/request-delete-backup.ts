/** Deletes a backup: the snapshot is forgotten on its target and what only it used is pruned. */
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { audit } from "@/lib/server/audit/audit";
import type { Actor } from "@/lib/server/actor";
import { createJob } from "@/lib/server/jobs/create-job";
import { getBackupOrThrow } from "./get-backup-or-throw";
import { requireHostOnline } from "@/lib/server/hosts/host-offline";

/** Queues the deletion (a failed backup's row, which has no snapshot, goes at once). */
export async function requestDeleteBackup(db: Db, actor: Actor, serverId: string, backupId: string): Promise<{ jobId: string | null }> {
  if (actor.role === "SUPPORT") throw new AppError("FORBIDDEN", "support staff cannot delete backups");
  const { backup, server } = await getBackupOrThrow(db, actor, serverId, backupId);
  // The provider's scheduled backups are kept by the plan's retention; a customer deletes the ones it made.
  if (actor.role === "CUSTOMER" && backup.scheduled) throw new AppError("FORBIDDEN", "scheduled backups are kept by your plan's retention; you can delete the backups you made");
  if (backup.state === "RUNNING") throw new AppError("CONFLICT", "this backup is still being made");
  if (backup.state === "DELETING") throw new AppError("CONFLICT", "this backup is already being deleted");
  if (!backup.snapshotId) {
    await db.backup.delete({ where: { id: backup.id } });
    await audit(db, actor, "backup.delete", { type: "vserver", id: serverId }, { backupId: backup.id });
    return { jobId: null };
  }
  // Compare-and-set: two deletes of the same backup queue one job.
  const claimed = await db.backup.updateMany({ where: { id: backup.id, state: backup.state }, data: { state: "DELETING" } });
  if (claimed.count !== 1) throw new AppError("CONFLICT", "this backup is already being deleted");
  requireHostOnline(server.host);
  const jobId = await createJob(db, { type: "backup.delete", vserverId: server.id, hostId: server.host.id, createdById: actor.userId, payload: { backupId: backup.id } });
  await audit(db, actor, "backup.delete", { type: "vserver", id: serverId }, { backupId: backup.id, snapshot: backup.snapshotId, jobId });
  return { jobId };
}
