/**
 * The admin's view of reverse DNS per IP pool: the zones that cover each pool and whether
 * each exists in PowerDNS (a pool is "linked" when all do). Admins only; null while
 * reverse DNS is not set up; an unreachable PowerDNS is reported, not thrown.
 */
import type { Db } from "@/lib/db/client";
import { AppError, notFound } from "@/lib/errors";
import { parseNetwork } from "@/lib/net/cidr";
import { maxZonesPerPool, reverseZonesOf } from "@/lib/net/reverse-name";
import type { Actor } from "@/lib/server/actor";
import { powerDnsClient } from "./powerdns-client";
import { readPowerDnsSettings } from "./powerdns-settings";

/** One pool's reverse zones, or why they cannot be shown. */
export interface PoolReverseZones {
  id: string;
  name: string;
  cidr: string;
  zones: { name: string; exists: boolean }[] | null;
  problem: string | null;
}

/** Every pool with its reverse zones; null when reverse DNS is off; `{ error }` when PowerDNS cannot be asked. */
export async function listPoolReverseZones(db: Db, actor: Actor): Promise<PoolReverseZones[] | { error: string } | null> {
  if (actor.role !== "ADMIN") throw notFound();
  const settings = await readPowerDnsSettings(db);
  if (!settings) return null;
  const client = powerDnsClient(settings);
  const pools = await db.ipPool.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true, cidr: true } });
  try {
    const out: PoolReverseZones[] = [];
    for (const pool of pools) {
      const net = parseNetwork(pool.cidr);
      const names = typeof net === "string" ? null : reverseZonesOf(net);
      if (!names) {
        out.push({ ...pool, zones: null, problem: `needs more than ${maxZonesPerPool} reverse zones; split the pool` });
        continue;
      }
      const zones: { name: string; exists: boolean }[] = [];
      for (const name of names) zones.push({ name, exists: (await client.getZone(name)) !== null });
      out.push({ ...pool, zones, problem: null });
    }
    return out;
  } catch (error) {
    if (error instanceof AppError) return { error: error.message };
    throw error;
  }
}
