"use server";
/** Records a power decision to be carried out when the server's offline host is back. */
import { runAction } from "@/lib/actions/run-action";
import type { ActionResult } from "@/lib/actions/action-result";
import { db } from "@/lib/db/client";
import type { PowerAction } from "@/lib/server/vservers/request-power";
import { deferPowerUntilBack } from "@/lib/server/vservers/defer-power-until-back";

/** Records a power decision to be carried out when the server's offline host is back. */
export async function deferPowerAction(serverId: string, action: PowerAction, reason?: string): Promise<ActionResult<{ deferred: true; message: string }>> {
  return runAction((actor) => deferPowerUntilBack(db(), actor, serverId, action, reason), { revalidate: [`/servers/${serverId}`, "/servers"] });
}
