"use server";
/** Queues a reinstall from the server page's form. */
import { runAction } from "@/lib/actions/run-action";
import type { ActionResult } from "@/lib/actions/action-result";
import { db } from "@/lib/db/client";
import { requestReinstall } from "@/lib/server/vservers/request-maintenance";

/** Queues a reinstall from the server page's form. */
export async function reinstallAction(serverId: string, input: unknown): Promise<ActionResult<{ jobId: string }>> {
  return runAction((actor) => requestReinstall(db(), actor, serverId, input), { revalidate: [`/servers/${serverId}`] });
}
