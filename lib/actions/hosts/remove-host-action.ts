"use server";
/** Removes an empty host. */
import { runAction } from "@/lib/actions/run-action";
import type { ActionResult } from "@/lib/actions/action-result";
import { db } from "@/lib/db/client";
import { removeHost } from "@/lib/server/hosts/remove-host";

/** Removes an empty host. */
export async function removeHostAction(hostId: string): Promise<ActionResult<null>> {
  return runAction(async (actor) => {
    await removeHost(db(), actor, hostId);
    return null;
  }, { revalidate: ["/admin/hosts"] });
}
