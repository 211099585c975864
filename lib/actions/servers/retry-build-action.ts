"use server";
/** Builds a failed server again. */
import { runAction } from "@/lib/actions/run-action";
import type { ActionResult } from "@/lib/actions/action-result";
import { db } from "@/lib/db/client";
import { retryBuild } from "@/lib/server/vservers/retry-build";

/** Queues the retry; the page follows the job. */
export async function retryBuildAction(serverId: string): Promise<ActionResult<{ jobId: string; passwordDropped: boolean }>> {
  return runAction((actor) => retryBuild(db(), actor, serverId), { revalidate: [`/servers/${serverId}`, "/servers"] });
}
