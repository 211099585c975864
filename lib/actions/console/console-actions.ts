"use server";
/** Server actions of the console panel: an admin grants or revokes a support console. */
import { formObject, runAction, runOperation } from "@/lib/actions/run-action";
import type { ActionResult } from "@/lib/actions/action-result";
import { db } from "@/lib/db/client";
import { formatDateTime } from "@/lib/format";
import { grantSupportConsole, revokeSupportConsole } from "@/lib/server/console/support-console-grants";

/** Grants the chosen support user a console on the server (form: userId, minutes, reason). */
export async function grantSupportConsoleAction(serverId: string, _prev: unknown, form: FormData): Promise<ActionResult<{ id: string }>> {
  return runAction(async (actor) => {
    const grant = await grantSupportConsole(db(), actor, serverId, formObject(form, { numbers: ["minutes"] }));
    return { id: grant.id, until: formatDateTime(grant.expiresAt) };
  }, { revalidate: [`/servers/${serverId}`], message: "Support can open a console on this server until the grant expires." });
}

/** Ends a grant now. */
export async function revokeSupportConsoleAction(serverId: string, grantId: string): Promise<ActionResult<null>> {
  return runOperation(revokeSupportConsole, [grantId], { revalidate: [`/servers/${serverId}`] });
}
