"use server";
/** Withdraws one's own pending plan-change request. */
import { runOperation } from "@/lib/actions/run-action";
import type { ActionResult } from "@/lib/actions/action-result";
import { cancelPlanChange } from "@/lib/server/vservers/plan-change-requests";

/** Withdraws the request. */
export async function cancelPlanChangeAction(requestId: string, serverId: string): Promise<ActionResult<null>> {
  return runOperation(cancelPlanChange, [requestId], { revalidate: [`/servers/${serverId}`], message: "Request withdrawn." });
}
