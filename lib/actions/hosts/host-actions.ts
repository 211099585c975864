"use server";
/** Server actions of the admin's host pages. */
import { formObject, runAction } from "@/lib/actions/run-action";
import type { ActionResult } from "@/lib/actions/action-result";
import { db } from "@/lib/db/client";
import { enrollHost, removeHost, updateHost } from "@/lib/server/hosts/hosts";
import { requestUnify } from "@/lib/server/vservers/request-maintenance";

/** Enrolls a host from the form. */
export async function enrollHostAction(_prev: unknown, form: FormData): Promise<ActionResult<{ id: string }>> {
  return runAction(async (actor) => ({ id: (await enrollHost(db(), actor, formObject(form, { numbers: ["cpuCores", "memoryMb", "diskMb", "maxServers"] }))).id }), {
    revalidate: ["/admin/hosts", "/admin"],
    message: "Host enrolled; its agent answered.",
  });
}

/** Drains or undrains a host. */
export async function setHostDrainingAction(hostId: string, draining: boolean): Promise<ActionResult<null>> {
  return runAction(async (actor) => {
    await updateHost(db(), actor, hostId, { draining });
    return null;
  }, { revalidate: ["/admin/hosts"] });
}

/** Removes an empty host. */
export async function removeHostAction(hostId: string): Promise<ActionResult<null>> {
  return runAction(async (actor) => {
    await removeHost(db(), actor, hostId);
    return null;
  }, { revalidate: ["/admin/hosts"] });
}

/** Runs vunify on a host (a job; the hosts page shows the savings). */
export async function unifyHostAction(hostId: string): Promise<ActionResult<{ jobId: string }>> {
  return runAction((actor) => requestUnify(db(), actor, hostId), { revalidate: ["/admin/hosts"] });
}
