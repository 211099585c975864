"use server";
/** Queues a package update. */
import { runAction } from "@/lib/actions/run-action";
import type { ActionResult } from "@/lib/actions/action-result";
import { db } from "@/lib/db/client";
import { requestPackageUpdate } from "@/lib/server/vservers/request-maintenance";

/** Queues a package update. */
export async function updatePackagesAction(serverId: string): Promise<ActionResult<{ jobId: string }>> {
  return runAction((actor) => requestPackageUpdate(db(), actor, serverId), { revalidate: [`/servers/${serverId}`] });
}
