/**
 * Sets or removes the PTR record of one of a server's addresses in PowerDNS: by the
 * customer for its own servers, by resellers and admins for theirs (404 for anyone else's
 * server, as everywhere). The address must lie in one of the server's assignments; the
 * record goes into the reverse zone the admin created for that address's pool.
 */
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { ptrNameOf, reverseZoneOfAddress } from "@/lib/net/reverse-name";
import type { Actor } from "@/lib/server/actor";
import { audit } from "@/lib/server/audit/audit";
import { recordEvent } from "@/lib/server/events/record-event";
import { parseInput } from "@/lib/server/parse-input";
import { getServerOrThrow } from "@/lib/server/vservers/get-server-or-throw";
import { addressInServer } from "./address-in-server";
import { forwardConfirmWarning } from "./forward-confirm";
import { powerDnsClient } from "./powerdns-client";
import { readPowerDnsSettings } from "./powerdns-settings";
import { ptrInput } from "./ptr-input";

/** TTL of the PTR records the panel writes (an hour: changes show up soon enough). */
export const ptrTtl = 3600;

/** The outcome: the record as now set (name null: removed) and a forward-confirmation warning. */
export interface ReverseDnsResult {
  address: string;
  ptr: string;
  name: string | null;
  warning: string | null;
}

/** Sets (or, with `name: null`, removes) the PTR record of `address` on server `serverId`. */
export async function setReverseDns(db: Db, actor: Actor, serverId: string, raw: unknown, options: { checkForward?: boolean; resolverServers?: string[] } = {}): Promise<ReverseDnsResult> {
  const server = await getServerOrThrow(db, actor, serverId);
  if (actor.role === "SUPPORT") throw new AppError("FORBIDDEN", "support staff cannot change servers");
  // A server being made or terminated is giving its addresses back: no new records for them.
  if (["PENDING", "BUILDING", "DELETING"].includes(server.state)) throw new AppError("CONFLICT", `the server is ${server.state.toLowerCase()}`);
  const input = parseInput(ptrInput, raw);
  const settings = await readPowerDnsSettings(db);
  if (!settings) throw new AppError("CONFLICT", "reverse DNS is not set up in this panel (the admin has set no PowerDNS endpoint)");
  const held = addressInServer(server, input.address);
  if (!held) throw new AppError("BAD_REQUEST", `address: ${input.address} is not an address of this server`, "address");
  const zone = reverseZoneOfAddress(held.pool, held.value);
  const ptr = ptrNameOf(held.family, held.value);
  const client = powerDnsClient(settings);
  if (!(await client.getZone(zone))) throw new AppError("CONFLICT", `address: reverse DNS is not enabled for the pool of ${input.address} (zone ${zone}); ask your provider`, "address");
  await client.patchZone(zone, [input.name === null ? { name: ptr, type: "PTR", changetype: "DELETE" } : { name: ptr, type: "PTR", changetype: "REPLACE", ttl: ptrTtl, records: [{ content: `${input.name}.`, disabled: false }] }]);
  // The address may have gone back to its pool while PowerDNS was asked (a terminate, a
  // removal, whose clean-up ran before this write): its next holder must not get our name.
  const still = await db.ipAddress.count({ where: { id: held.id, vserverId: server.id } });
  if (still === 0 && input.name !== null) {
    await client.patchZone(zone, [{ name: ptr, type: "PTR", changetype: "DELETE" }]);
    throw new AppError("CONFLICT", `address: ${input.address} was removed from this server meanwhile`, "address");
  }
  await audit(db, actor, "vserver.reverse-dns", { type: "vserver", id: server.id }, { address: input.address, name: input.name });
  await recordEvent(db, { type: "server.reverse_dns_changed", vserverId: server.id, data: { address: input.address, name: input.name } });
  const warning = input.name !== null && options.checkForward !== false ? await forwardConfirmWarning(input.name, input.address, held.family, options.resolverServers) : null;
  return { address: input.address, ptr, name: input.name, warning };
}
