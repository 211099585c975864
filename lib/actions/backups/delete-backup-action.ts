"use server";
/** Deletes a backup (its snapshot is forgotten on its target). */
import { runAction } from "@/lib/actions/run-action";
import type { ActionResult } from "@/lib/actions/action-result";
import { db } from "@/lib/db/client";
import { requestDeleteBackup } from "@/lib/server/backups/request-delete-backup";

/** Queues the deletion; a failed backup without a snapshot goes at once (no job). */
export async function deleteBackupAction(serverId: string, backupId: string): Promise<ActionResult<{ jobId: string | null }>> {
  return runAction((actor) => requestDeleteBackup(db(), actor, serverId, backupId), { revalidate: [`/servers/${serverId}/backups`] });
}
