/**
 * Links an IP pool to reverse DNS: creates in PowerDNS the reverse zones that cover the
 * pool (cut at the octet or nibble boundary; an IPv4 pool smaller than /24 gets its
 * enclosing /24, see docs/reverse-dns.md). Admins only (403); zones that exist are kept as
 * they are, so linking twice, or two small pools of one /24, is harmless.
 */
import type { Db } from "@/lib/db/client";
import { AppError, notFound } from "@/lib/errors";
import { parseNetwork } from "@/lib/net/cidr";
import { maxZonesPerPool, reverseZonesOf } from "@/lib/net/reverse-name";
import type { Actor } from "@/lib/server/actor";
import { audit } from "@/lib/server/audit/audit";
import { powerDnsClient } from "./powerdns-client";
import { readPowerDnsSettings } from "./powerdns-settings";

/** Creates the pool's reverse zones; returns each zone and whether it was made now. */
export async function linkPoolReverseZones(db: Db, actor: Actor, poolId: string): Promise<{ zones: { name: string; created: boolean }[] }> {
  // 403 rather than the admin pages' 404: the REST API refuses admin-only operations to
  // reseller tokens with 403 (as migrateServer does), and this one is in the API.
  if (actor.role !== "ADMIN") throw new AppError("FORBIDDEN", "only admins link pools to reverse DNS");
  const pool = await db.ipPool.findUnique({ where: { id: poolId } });
  if (!pool) throw notFound("Pool not found");
  const settings = await readPowerDnsSettings(db);
  if (!settings) throw new AppError("CONFLICT", "set the PowerDNS endpoint and API key first (Admin → Reverse DNS)", "dns");
  const net = parseNetwork(pool.cidr);
  if (typeof net === "string") throw new AppError("CONFLICT", `the pool's network ${pool.cidr} ${net}`, "cidr");
  const names = reverseZonesOf(net);
  if (!names) throw new AppError("CONFLICT", `the pool ${pool.cidr} would need more than ${maxZonesPerPool} reverse zones; split it into smaller pools`, "cidr");
  const client = powerDnsClient(settings);
  const zones: { name: string; created: boolean }[] = [];
  for (const name of names) zones.push({ name, created: (await client.createZone(name)) === "created" });
  await audit(db, actor, "ip-pool.link-reverse-dns", { type: "ip-pool", id: pool.id }, { zones: names });
  return { zones };
}

