"use server";
/** Adds an IPv4 or IPv6 address to a server, live. */
import { runAction } from "@/lib/actions/run-action";
import type { ActionResult } from "@/lib/actions/action-result";
import { db } from "@/lib/db/client";
import { addServerAddress } from "@/lib/server/vservers/add-server-address";

/** Adds one address of `family`. */
export async function addAddressAction(serverId: string, family: "IPV4" | "IPV6"): Promise<ActionResult<{ address: string; prefix: number }>> {
  return runAction(async (actor) => {
    const a = await addServerAddress(db(), actor, serverId, { family });
    return { address: a.address, prefix: a.prefix };
  }, { revalidate: [`/servers/${serverId}`] });
}
