"use server";
/** Moves a server to another plan (a job), with the restart confirmed where one is needed. */
import { runAction } from "@/lib/actions/run-action";
import type { ActionResult } from "@/lib/actions/action-result";
import { db } from "@/lib/db/client";
import { changePlan } from "@/lib/server/vservers/change-plan";

/** Queues the plan change; the page follows the job. */
export async function changePlanAction(serverId: string, planId: string, confirmRestart: boolean): Promise<ActionResult<{ jobId: string; restart: boolean }>> {
  return runAction((actor) => changePlan(db(), actor, serverId, { planId, confirmRestart }), { revalidate: [`/servers/${serverId}`] });
}
