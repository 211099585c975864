"use server";
/** Provisions a server from the wizard's data. */
import { runAction } from "@/lib/actions/run-action";
import type { ActionResult } from "@/lib/actions/action-result";
import { db } from "@/lib/db/client";
import { createServer } from "@/lib/server/vservers/provision/create-server";

/** Provisions a server from the wizard's data. */
export async function createServerAction(input: unknown): Promise<ActionResult<{ serverId: string; jobId: string }>> {
  return runAction(async (actor) => {
    const made = await createServer(db(), actor, input);
    return { serverId: made.serverId, jobId: made.jobId };
  }, { revalidate: ["/servers"] });
}
