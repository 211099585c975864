"use server";
/** Moves a server to another host (admins); the page follows the job. */
import { runAction } from "@/lib/actions/run-action";
import type { ActionResult } from "@/lib/actions/action-result";
import { db } from "@/lib/db/client";
import { requestMigration } from "@/lib/server/migration/request-migration";

/** Queues the move; `newAddresses`: addresses whose pool the target lacks get new ones from its pools; `method`: pre-copy or offline (a running server's). */
export async function migrateServerAction(serverId: string, targetHostId: string, newAddresses = false, method: "precopy" | "offline" = "precopy"): Promise<ActionResult<{ jobId: string }>> {
  return runAction((actor) => requestMigration(db(), actor, serverId, { targetHostId, newAddresses, method }), { revalidate: [`/servers/${serverId}`, "/servers"] });
}
