"use server";
/** A provider approves (the change is queued) or rejects a customer's plan-change request. */
import { runAction } from "@/lib/actions/run-action";
import type { ActionResult } from "@/lib/actions/action-result";
import { db } from "@/lib/db/client";
import { decidePlanChange } from "@/lib/server/vservers/plan-change-requests";

/** Decides the request. */
export async function decidePlanChangeAction(requestId: string, decision: { approve: boolean; answer: string; confirmRestart: boolean }): Promise<ActionResult<{ state: string; jobId?: string }>> {
  return runAction((actor) => decidePlanChange(db(), actor, requestId, decision), { revalidate: ["/requests"] });
}
