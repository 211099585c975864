"use server";
/** Sets or removes the PTR record of one of a server's addresses. */
import { runAction } from "@/lib/actions/run-action";
import type { ActionResult } from "@/lib/actions/action-result";
import { db } from "@/lib/db/client";
import { setReverseDns, type ReverseDnsResult } from "@/lib/server/dns/set-reverse-dns";

/** Sets the PTR of `address` on server `serverId` to `name` (empty removes it); the result carries a forward-confirmation warning. */
export async function setReverseDnsAction(serverId: string, address: string, name: string): Promise<ActionResult<ReverseDnsResult>> {
  return runAction((actor) => setReverseDns(db(), actor, serverId, { address, name: name.trim() === "" ? null : name }), { revalidate: [`/servers/${serverId}`] });
}

/** The form's variant (bound to the server id): fields `address` and `name`. */
export async function setReverseDnsFormAction(serverId: string, _prev: unknown, form: FormData): Promise<ActionResult<ReverseDnsResult>> {
  return setReverseDnsAction(serverId, String(form.get("address") ?? ""), String(form.get("name") ?? ""));
}
