"use server";
/** The admin's buttons on a backup target: default, check now, remove; and the grace period. */
import { formObject, runAction } from "@/lib/actions/run-action";
import type { ActionResult } from "@/lib/actions/action-result";
import { db } from "@/lib/db/client";
import { setBackupGraceDays } from "@/lib/server/backups/backup-settings";
import { deleteBackupTarget, requestTargetCheck, setDefaultBackupTarget } from "@/lib/server/backups/manage-backup-target";

const revalidate = ["/admin/backups"];

/** Makes the target the default of its scope. */
export async function setDefaultBackupTargetAction(id: string): Promise<ActionResult<void>> {
  return runAction((actor) => setDefaultBackupTarget(db(), actor, id), { revalidate });
}

/** Queues a check of the target on one host. */
export async function checkBackupTargetAction(id: string, hostId: string): Promise<ActionResult<{ jobId: string }>> {
  return runAction((actor) => requestTargetCheck(db(), actor, id, hostId), { revalidate, message: "Check queued." });
}

/** Removes a target that keeps no backups. */
export async function deleteBackupTargetAction(id: string): Promise<ActionResult<void>> {
  return runAction((actor) => deleteBackupTarget(db(), actor, id), { revalidate });
}

/** Sets how long a terminated server's backups are kept. */
export async function setBackupGraceAction(_prev: unknown, form: FormData): Promise<ActionResult<number>> {
  return runAction(
    (actor) => setBackupGraceDays(db(), actor, formObject(form, { numbers: ["graceDays"] })),
    { revalidate, message: "Saved." },
  );
}
