"use server";
/** Withdraws one's own pending plan-change request. */
import { runAction } from "@/lib/actions/run-action";
import type { ActionResult } from "@/lib/actions/action-result";
import { db } from "@/lib/db/client";
import { cancelPlanChange } from "@/lib/server/vservers/plan-change-requests";

/** Withdraws the request. */
export async function cancelPlanChangeAction(requestId: string, serverId: string): Promise<ActionResult<null>> {
  return runAction(async (actor) => {
    await cancelPlanChange(db(), actor, requestId);
    return null;
  }, { revalidate: [`/servers/${serverId}`], message: "Request withdrawn." });
}
