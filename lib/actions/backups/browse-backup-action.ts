"use server";
/** One directory of a backup, for the file browser (owners and providers; support only sees the list). */
import { runAction } from "@/lib/actions/run-action";
import type { ActionResult } from "@/lib/actions/action-result";
import { db } from "@/lib/db/client";
import type { SnapshotEntry } from "@/lib/protocol/backups";
import { browseBackup } from "@/lib/server/backups/browse-backup";

/** One directory of a backup, for the file browser (a read: support may browse). */
export async function browseBackupAction(serverId: string, backupId: string, input: unknown): Promise<ActionResult<{ path: string; entries: SnapshotEntry[] }>> {
  return runAction((actor) => browseBackup(db(), actor, serverId, backupId, input), {});
}
