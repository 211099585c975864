"use server";
/** Queues a new server made from a backup (admins and resellers). */
import { runAction } from "@/lib/actions/run-action";
import type { ActionResult } from "@/lib/actions/action-result";
import { db } from "@/lib/db/client";
import { requestRestoreAsNew } from "@/lib/server/backups/request-restore-as-new";

/** Queues a new server made from a backup (admins and resellers). */
export async function restoreBackupAsNewAction(serverId: string, backupId: string, input: unknown): Promise<ActionResult<{ serverId: string; jobId: string; name: string; hostId: string }>> {
  return runAction((actor) => requestRestoreAsNew(db(), actor, serverId, backupId, input), { revalidate: [`/servers/${serverId}/backups`] });
}
