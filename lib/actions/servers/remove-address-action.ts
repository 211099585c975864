"use server";
/** Removes an address from a server, live, and returns it to its pool. */
import { runAction } from "@/lib/actions/run-action";
import type { ActionResult } from "@/lib/actions/action-result";
import { db } from "@/lib/db/client";
import { removeServerAddress } from "@/lib/server/vservers/remove-server-address";

/** Removes address `addressId`. */
export async function removeAddressAction(serverId: string, addressId: string): Promise<ActionResult<{ address: string }>> {
  return runAction((actor) => removeServerAddress(db(), actor, serverId, addressId), { revalidate: [`/servers/${serverId}`] });
}
