/**
 * Hands out free addresses from a host's pools. Correct under concurrency without
 * locks: an IpAddress row exists only while assigned and its address is unique, so of
 * two requests that pick the same candidate, one insert fails and that request moves
 * on to the next candidate.
 */
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { candidates, parseNetwork, type Network } from "@/lib/net/cidr";

/** An address that was given out. */
export interface AllocatedAddress {
  id: string;
  address: string;
  prefix: number;
  family: "IPV4" | "IPV6";
  poolId: string;
}

/** The client or a transaction client. */
type Tx = Pick<Db, "ipPool" | "ipAddress">;

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && "code" in error && (error as { code: string }).code === "P2002";
}

/** Give up after this many lost races (a pool under a storm of requests). */
const maxCollisions = 1000;

/** Takes `count` free addresses of a family from the host's pools for a server (or unbound when vserverId is null). */
export async function allocateAddresses(db: Tx, hostId: string, family: "IPV4" | "IPV6", count: number, vserverId: string | null): Promise<AllocatedAddress[]> {
  if (count === 0) return [];
  const pools = await db.ipPool.findMany({ where: { family, hosts: { some: { hostId } } }, orderBy: { createdAt: "asc" } });
  const out: AllocatedAddress[] = [];
  for (const pool of pools) {
    const net = parseNetwork(pool.cidr) as Network;
    const excluded = [pool.gateway, ...pool.reserved.split(",")].filter((r): r is string => Boolean(r));
    let collisions = 0;
    // Walk the free candidates lowest first; when another request took one meanwhile,
    // re-read what is taken and walk again from the start of what is still free.
    walk: for (;;) {
      const taken = new Set((await db.ipAddress.findMany({ where: { poolId: pool.id }, select: { address: true } })).map((a) => a.address));
      for (const r of excluded) taken.add(r);
      for (const candidate of candidates(net, pool.assignPrefix, taken)) {
        try {
          const row = await db.ipAddress.create({ data: { poolId: pool.id, family, address: candidate, prefix: pool.assignPrefix, vserverId } });
          out.push({ id: row.id, address: row.address, prefix: row.prefix, family, poolId: pool.id });
          if (out.length === count) return out;
        } catch (error) {
          if (!isUniqueViolation(error) || ++collisions > maxCollisions) {
            await releaseAddresses(db, out.map((a) => a.id));
            throw error;
          }
          continue walk;
        }
      }
      break;
    }
  }
  await releaseAddresses(db, out.map((a) => a.id));
  throw new AppError("CONFLICT", `not enough free ${family === "IPV4" ? "IPv4" : "IPv6"} addresses in the host's pools (need ${count})`, family === "IPV4" ? "ipv4Count" : "ipv6Count");
}

/** Gives addresses back to their pools (deletes the rows). */
export async function releaseAddresses(db: Tx, ids: string[]): Promise<void> {
  if (ids.length) await db.ipAddress.deleteMany({ where: { id: { in: ids } } });
}
