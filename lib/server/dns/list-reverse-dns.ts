/**
 * The PTR records of a server's addresses as PowerDNS has them (PowerDNS is the record's
 * one home; the panel keeps no copy to drift from it). Null when reverse DNS is not set
 * up, so pages hide it; an unreachable PowerDNS is reported, not thrown, so the server
 * page still shows.
 */
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { formatAddress } from "@/lib/net/cidr";
import { addressTextOfPtrName, ptrNameInside, reverseZoneOfAddress } from "@/lib/net/reverse-name";
import type { Actor } from "@/lib/server/actor";
import { getServerOrThrow, type ServerDetail } from "@/lib/server/vservers/get-server-or-throw";
import { addressInServer } from "./address-in-server";
import { powerDnsClient, type RRset } from "./powerdns-client";
import { readPowerDnsSettings } from "./powerdns-settings";
import { pageReadTimeoutMs } from "@/lib/server/hosts/host-offline";

/** One assignment of the server with its PTR records. */
export interface AddressReverseDns {
  addressId: string;
  /** The assignment as given (address/prefix). */
  assigned: string;
  family: "IPV4" | "IPV6";
  /** False while the admin has not created the reverse zone of the address's pool. */
  zoneReady: boolean;
  /** The records inside the assignment (one for a single address, any number in an IPv6 prefix). */
  records: { address: string; name: string }[];
}

/** The server's reverse DNS, or `{ error }` when PowerDNS cannot be asked. */
export type ServerReverseDns = { addresses: AddressReverseDns[] } | { error: string };

/** Reads the records of `server` (already authorized); null when reverse DNS is off. */
export async function listReverseDns(db: Db, server: Pick<ServerDetail, "addresses">): Promise<ServerReverseDns | null> {
  const settings = await readPowerDnsSettings(db);
  if (!settings) return null;
  // A page waits for PowerDNS no longer than for a host (host-offline.ts): it shows the error instead.
  const client = powerDnsClient(settings, { timeoutMs: pageReadTimeoutMs });
  const zones = new Map<string, RRset[] | null>();
  try {
    const out: AddressReverseDns[] = [];
    for (const row of server.addresses) {
      const held = addressInServer(server, row.address);
      if (!held) continue;
      const zone = reverseZoneOfAddress(held.pool, held.value);
      if (!zones.has(zone)) zones.set(zone, (await client.getZone(zone))?.rrsets ?? null);
      const rrsets = zones.get(zone) ?? null;
      const records = (rrsets ?? [])
        .filter((r) => r.type === "PTR" && ptrNameInside(held.assigned, r.name))
        .map((r) => ({ address: addressTextOfPtrName(r.name) ?? r.name, name: (r.records[0]?.content ?? "").replace(/\.$/, "") }));
      out.push({ addressId: row.id, assigned: `${formatAddress(held.family, held.assigned.base)}/${held.assigned.prefix}`, family: row.family, zoneReady: rrsets !== null, records });
    }
    return { addresses: out };
  } catch (error) {
    if (error instanceof AppError) return { error: error.message };
    throw error;
  }
}

/** The reverse DNS of server `serverId` for `actor` (404 for a server it may not see). */
export async function getServerReverseDns(db: Db, actor: Actor, serverId: string): Promise<ServerReverseDns | null> {
  const server = await getServerOrThrow(db, actor, serverId);
  return listReverseDns(db, server);
}
