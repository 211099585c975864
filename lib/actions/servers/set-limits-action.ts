"use server";
/** Moves a server's sliders within its plan: live on the host, or a job that restarts it when confirmed. */
import { runAction } from "@/lib/actions/run-action";
import type { ActionResult } from "@/lib/actions/action-result";
import { db } from "@/lib/db/client";
import { setServerLimits, type SliderChangeResult } from "@/lib/server/vservers/set-server-limits";

/** Moves a server's sliders within its plan: live on the host, or a job that restarts it when confirmed. */
export async function setLimitsAction(serverId: string, limits: unknown): Promise<ActionResult<SliderChangeResult>> {
  return runAction((actor) => setServerLimits(db(), actor, serverId, limits), { revalidate: [`/servers/${serverId}`] });
}
