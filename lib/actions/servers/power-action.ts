"use server";
/** Queues a power action on a server. */
import { runAction } from "@/lib/actions/run-action";
import type { ActionResult } from "@/lib/actions/action-result";
import { db } from "@/lib/db/client";
import { requestPower, type PowerAction } from "@/lib/server/vservers/request-power";

/** Queues a power action on a server. */
export async function powerAction(serverId: string, action: PowerAction, reason?: string): Promise<ActionResult<{ jobId: string }>> {
  return runAction((actor) => requestPower(db(), actor, serverId, action, reason), { revalidate: [`/servers/${serverId}`, "/servers"] });
}
