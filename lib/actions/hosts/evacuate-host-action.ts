"use server";
/** Empties a host for maintenance: maintenance on, its servers moved to other hosts (a job). */
import { runAction } from "@/lib/actions/run-action";
import type { ActionResult } from "@/lib/actions/action-result";
import { db } from "@/lib/db/client";
import { requestHostEvacuation } from "@/lib/server/migration/request-host-evacuation";

/** Empties a host for maintenance: maintenance on, its servers moved to other hosts (a job); `newAddresses`: servers whose pools no other host has get new addresses there. */
export async function evacuateHostAction(hostId: string, newAddresses = false): Promise<ActionResult<{ jobId: string }>> {
  return runAction((actor) => requestHostEvacuation(db(), actor, hostId, { newAddresses }), { revalidate: ["/admin/hosts"] });
}
