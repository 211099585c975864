"use server";
/** Sets the guest's root password and/or SSH key from the server page's form. */
import { formObject, runAction } from "@/lib/actions/run-action";
import type { ActionResult } from "@/lib/actions/action-result";
import { db } from "@/lib/db/client";
import { setRootAccess } from "@/lib/server/vservers/set-root-access";

/** Sets the guest's root password and/or SSH key from the server page's form. */
export async function setRootAccessAction(serverId: string, _prev: unknown, form: FormData): Promise<ActionResult<null>> {
  const raw = formObject(form);
  return runAction(async (actor) => {
    await setRootAccess(db(), actor, serverId, raw);
    return null;
  }, { message: "Saved inside the server." });
}
