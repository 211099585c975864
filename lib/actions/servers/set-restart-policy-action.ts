"use server";
/** Sets what the host does when the server's init ends on its own (owner, reseller, admin). */
import { formObject, runAction } from "@/lib/actions/run-action";
import type { ActionResult } from "@/lib/actions/action-result";
import { db } from "@/lib/db/client";
import { setServerRestartPolicy } from "@/lib/server/vservers/set-restart-policy";

/** Sets the restart policy chosen in the form (`policy`). */
export async function setRestartPolicyAction(serverId: string, _prev: unknown, form: FormData): Promise<ActionResult<{ policy: "never" | "on-failure"; applied: boolean }>> {
  const r = await runAction((actor) => setServerRestartPolicy(db(), actor, serverId, formObject(form)), { revalidate: [`/servers/${serverId}`] });
  return r.ok ? { ...r, message: r.data.applied ? "Saved: the host applies it now." : "Saved: the host is not answering and takes it when it does again." } : r;
}
