"use server";
/** Queues a template export (admins). */
import { formObject, runAction } from "@/lib/actions/run-action";
import type { ActionResult } from "@/lib/actions/action-result";
import { db } from "@/lib/db/client";
import { requestTemplateExport } from "@/lib/server/vservers/request-maintenance";

/** Queues a template export (admins). */
export async function exportTemplateAction(serverId: string, _prev: unknown, form: FormData): Promise<ActionResult<{ jobId: string }>> {
  const raw = formObject(form);
  return runAction((actor) => requestTemplateExport(db(), actor, serverId, raw), { revalidate: [`/servers/${serverId}`] });
}
