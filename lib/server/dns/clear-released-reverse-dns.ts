/**
 * Removes the PTR records inside addresses that go back to their pool (an address removed
 * from a server, a terminated server), so the next holder does not inherit the last one's
 * name. Best effort after the release: the address is free either way; when PowerDNS
 * cannot be reached the admins get an event naming the addresses to clean by hand.
 */
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { parseNetwork } from "@/lib/net/cidr";
import { ptrNameInside, reverseZoneOfAddress } from "@/lib/net/reverse-name";
import { recordEvent } from "@/lib/server/events/record-event";
import { powerDnsClient } from "./powerdns-client";
import { readPowerDnsSettings } from "./powerdns-settings";

/** An address leaving its server: the assignment and its pool's network. */
export interface ReleasedAddress {
  address: string;
  prefix: number;
  pool: { cidr: string };
}

/** Deletes the PTR rrsets inside `released`; returns how many were removed. */
export async function clearReleasedReverseDns(db: Db, released: ReleasedAddress[], vserverId: string | null): Promise<number> {
  if (released.length === 0) return 0;
  const settings = await readPowerDnsSettings(db);
  if (!settings) return 0;
  const client = powerDnsClient(settings);
  let removed = 0;
  try {
    for (const r of released) {
      const assigned = parseNetwork(`${r.address}/${r.prefix}`);
      const pool = parseNetwork(r.pool.cidr);
      if (typeof assigned === "string" || typeof pool === "string") continue;
      const zone = reverseZoneOfAddress(pool, assigned.base);
      const found = await client.getZone(zone);
      const names = (found?.rrsets ?? []).filter((s) => s.type === "PTR" && ptrNameInside(assigned, s.name)).map((s) => s.name);
      if (names.length === 0) continue;
      await client.patchZone(zone, names.map((name) => ({ name, type: "PTR" as const, changetype: "DELETE" as const })));
      removed += names.length;
    }
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    await recordEvent(db, { type: "dns.reverse_cleanup_failed", vserverId, data: { addresses: released.map((r) => `${r.address}/${r.prefix}`), reason: error.message } });
  }
  return removed;
}
