"use server";
/** The admin's form for a new SFTP backup target. */
import { formObject, runAction } from "@/lib/actions/run-action";
import type { ActionResult } from "@/lib/actions/action-result";
import { db } from "@/lib/db/client";
import { saveBackupTarget } from "@/lib/server/backups/save-backup-target";

/** Adds the target on its host(s); refused with the host's reason when one cannot use it. */
export async function saveBackupTargetAction(_prev: unknown, form: FormData): Promise<ActionResult<{ targetId: string }>> {
  return runAction((actor) => saveBackupTarget(db(), actor, formObject(form, { numbers: ["port"], checkboxes: ["isDefault"] })), {
    revalidate: ["/admin/backups"],
    message: "Target added: its repository is ready on every host it is for.",
  });
}
