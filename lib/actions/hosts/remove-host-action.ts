"use server";
/** Removes an empty host. */
import { runOperation } from "@/lib/actions/run-action";
import type { ActionResult } from "@/lib/actions/action-result";
import { removeHost } from "@/lib/server/hosts/remove-host";

/** Removes an empty host. */
export async function removeHostAction(hostId: string): Promise<ActionResult<null>> {
  return runOperation(removeHost, [hostId], { revalidate: ["/admin/hosts"] });
}
