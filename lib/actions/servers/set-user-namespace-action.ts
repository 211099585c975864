"use server";
/** Gives a server its own user namespace or switches it to shared uids (admins). */
import { runAction } from "@/lib/actions/run-action";
import type { ActionResult } from "@/lib/actions/action-result";
import { db } from "@/lib/db/client";
import { setServerUserNamespace } from "@/lib/server/vservers/set-user-namespace";

/** Gives a server its own user namespace or switches it to shared uids (admins). */
export async function setUserNamespaceAction(serverId: string, enabled: boolean): Promise<ActionResult<{ userNamespace: boolean; restart: boolean }>> {
  return runAction((actor) => setServerUserNamespace(db(), actor, serverId, { enabled }), { revalidate: [`/servers/${serverId}`] });
}
