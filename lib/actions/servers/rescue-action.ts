"use server";
/** Starts or ends a server's rescue mode from the server page. */
import { runAction } from "@/lib/actions/run-action";
import type { ActionResult } from "@/lib/actions/action-result";
import { db } from "@/lib/db/client";
import { requestRescueEnd, requestRescueStart } from "@/lib/server/vservers/rescue/request-rescue";

/** Starts rescue mode; the one-time root password comes back once, here, and is kept nowhere. */
export async function startRescueAction(serverId: string, input: unknown): Promise<ActionResult<{ jobId: string; rootPassword: string; until: string }>> {
  return runAction(
    async (actor) => {
      const r = await requestRescueStart(db(), actor, serverId, input);
      return { jobId: r.jobId, rootPassword: r.rootPassword, until: r.until.toISOString() };
    },
    { revalidate: [`/servers/${serverId}`, "/servers"] },
  );
}

/** Ends rescue mode: the server boots from its own root. */
export async function endRescueAction(serverId: string): Promise<ActionResult<{ jobId: string }>> {
  return runAction((actor) => requestRescueEnd(db(), actor, serverId), { revalidate: [`/servers/${serverId}`, "/servers"] });
}
