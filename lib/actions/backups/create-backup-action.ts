"use server";
/** Queues an on-demand backup of the server (within its plan's slots). */
import { runAction } from "@/lib/actions/run-action";
import type { ActionResult } from "@/lib/actions/action-result";
import { db } from "@/lib/db/client";
import { requestBackup } from "@/lib/server/backups/request-backup";

/** Queues an on-demand backup of the server (within its plan's slots). */
export async function createBackupAction(serverId: string, input: unknown = {}): Promise<ActionResult<{ backupId: string; jobId: string }>> {
  return runAction((actor) => requestBackup(db(), actor, serverId, input), { revalidate: [`/servers/${serverId}/backups`] });
}
