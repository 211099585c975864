"use server";
/** Runs vunify on a host (a job; the hosts page shows the savings). */
import { runAction } from "@/lib/actions/run-action";
import type { ActionResult } from "@/lib/actions/action-result";
import { db } from "@/lib/db/client";
import { requestUnify } from "@/lib/server/vservers/request-maintenance";

/** Runs vunify on a host (a job; the hosts page shows the savings). */
export async function unifyHostAction(hostId: string): Promise<ActionResult<{ jobId: string }>> {
  return runAction((actor) => requestUnify(db(), actor, hostId), { revalidate: ["/admin/hosts"] });
}
