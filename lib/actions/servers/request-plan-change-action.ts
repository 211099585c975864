"use server";
/** A customer asks its provider for another plan. */
import { runAction } from "@/lib/actions/run-action";
import type { ActionResult } from "@/lib/actions/action-result";
import { db } from "@/lib/db/client";
import { requestPlanChange } from "@/lib/server/vservers/plan-change-requests";

/** Sends the request. */
export async function requestPlanChangeAction(serverId: string, planId: string, note: string): Promise<ActionResult<{ id: string }>> {
  return runAction(async (actor) => ({ id: (await requestPlanChange(db(), actor, serverId, { planId, note })).id }), {
    revalidate: [`/servers/${serverId}`],
    message: "Sent to your provider.",
  });
}
