"use server";
/** Brings a terminated server back as a new server from one of its kept backups (admins, and resellers for their customers'). */
import { formObject, runAction } from "@/lib/actions/run-action";
import type { ActionResult } from "@/lib/actions/action-result";
import { db } from "@/lib/db/client";
import { requestRestoreOrphanAsNew } from "@/lib/server/backups/request-restore-orphan-as-new";

/** Queues the new server made from the terminated server's backup chosen in the form (`backupId`). */
export async function restoreTerminatedServerAction(_prev: unknown, form: FormData): Promise<ActionResult<{ serverId: string; jobId: string; name: string; hostId: string }>> {
  return runAction((actor) => {
    const { backupId, ...input } = formObject(form, { checkboxes: ["start"] });
    return requestRestoreOrphanAsNew(db(), actor, String(backupId ?? ""), input);
  }, {
    revalidate: ["/admin/backups", "/servers"],
    message: "The new server is being made from the backup: it is in the server list.",
  });
}
