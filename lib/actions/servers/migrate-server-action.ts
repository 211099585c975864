"use server";
/** Moves a server to another host (admins); the page follows the job. */
import { runAction } from "@/lib/actions/run-action";
import type { ActionResult } from "@/lib/actions/action-result";
import { db } from "@/lib/db/client";
import { requestMigration } from "@/lib/server/migration/request-migration";

/** Queues the move. */
export async function migrateServerAction(serverId: string, targetHostId: string): Promise<ActionResult<{ jobId: string }>> {
  return runAction((actor) => requestMigration(db(), actor, serverId, { targetHostId }), { revalidate: [`/servers/${serverId}`, "/servers"] });
}
