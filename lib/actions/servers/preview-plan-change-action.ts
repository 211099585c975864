"use server";
/** The server page's preview of a plan change: what it would do, before anything is done. */
import { runAction } from "@/lib/actions/run-action";
import type { ActionResult } from "@/lib/actions/action-result";
import { db } from "@/lib/db/client";
import { previewPlanChange, type PlanChangePreview } from "@/lib/server/vservers/change-plan";

/** Previews moving `serverId` to `planId`. */
export async function previewPlanChangeAction(serverId: string, planId: string): Promise<ActionResult<PlanChangePreview>> {
  return runAction((actor) => previewPlanChange(db(), actor, serverId, planId));
}
