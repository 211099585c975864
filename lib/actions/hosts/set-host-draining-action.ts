"use server";
/** Drains or undrains a host. */
import { runAction } from "@/lib/actions/run-action";
import type { ActionResult } from "@/lib/actions/action-result";
import { db } from "@/lib/db/client";
import { updateHost } from "@/lib/server/hosts/update-host";

/** Drains or undrains a host. */
export async function setHostDrainingAction(hostId: string, draining: boolean): Promise<ActionResult<null>> {
  return runAction(async (actor) => {
    await updateHost(db(), actor, hostId, { draining });
    return null;
  }, { revalidate: ["/admin/hosts"] });
}
