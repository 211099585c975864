"use server";
/** Drains or undrains a host. */
import { runOperation } from "@/lib/actions/run-action";
import type { ActionResult } from "@/lib/actions/action-result";
import { updateHost } from "@/lib/server/hosts/update-host";

/** Drains or undrains a host. */
export async function setHostDrainingAction(hostId: string, draining: boolean): Promise<ActionResult<null>> {
  return runOperation(updateHost, [hostId, { draining }], { revalidate: ["/admin/hosts"] });
}
