"use server";
/** Queues a restore of chosen files and directories of a backup into the server. */
import { runAction } from "@/lib/actions/run-action";
import type { ActionResult } from "@/lib/actions/action-result";
import { db } from "@/lib/db/client";
import { requestRestoreFiles } from "@/lib/server/backups/request-restore";

/** Queues a restore of chosen files and directories of a backup into the server. */
export async function restoreBackupFilesAction(serverId: string, backupId: string, input: unknown): Promise<ActionResult<{ jobId: string }>> {
  return runAction((actor) => requestRestoreFiles(db(), actor, serverId, backupId, input), { revalidate: [`/servers/${serverId}/backups`] });
}
