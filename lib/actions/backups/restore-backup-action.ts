"use server";
/** Queues a restore of the whole server to one of its backups. */
import { runAction } from "@/lib/actions/run-action";
import type { ActionResult } from "@/lib/actions/action-result";
import { db } from "@/lib/db/client";
import { requestRestore } from "@/lib/server/backups/request-restore";

/** Queues a restore of the whole server to one of its backups. */
export async function restoreBackupAction(serverId: string, backupId: string): Promise<ActionResult<{ jobId: string }>> {
  return runAction((actor) => requestRestore(db(), actor, serverId, backupId), { revalidate: [`/servers/${serverId}/backups`] });
}
