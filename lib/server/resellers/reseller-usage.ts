/**
 * What a reseller's customers use, summed over their servers, next to its quota. The
 * quota check of provisioning and resizing uses the same numbers.
 */
import type { Db } from "@/lib/db/client";

/** Totals of a reseller's servers and addresses. */
export interface ResellerUsage {
  servers: number;
  cpuMilli: number;
  memoryMb: number;
  diskMb: number;
  ipv4: number;
  ipv6: number;
}

/**
 * Sums the reseller's customers' servers, optionally leaving one server's resources out
 * (a resize or plan change replaces them). Addresses are always counted in full: a
 * change states the addresses it adds.
 */
export async function resellerUsage(db: Db, resellerId: string, exceptServerId?: string): Promise<ResellerUsage> {
  const where = { owner: { resellerId }, ...(exceptServerId ? { id: { not: exceptServerId } } : {}) };
  const all = { owner: { resellerId } };
  const [agg, ipv4, ipv6] = await Promise.all([
    db.vServer.aggregate({ where, _count: { _all: true }, _sum: { cpuMilli: true, memoryMb: true, diskMb: true } }),
    db.ipAddress.count({ where: { family: "IPV4", vserver: all } }),
    db.ipAddress.count({ where: { family: "IPV6", vserver: all } }),
  ]);
  return {
    servers: agg._count._all,
    cpuMilli: agg._sum.cpuMilli ?? 0,
    memoryMb: agg._sum.memoryMb ?? 0,
    diskMb: agg._sum.diskMb ?? 0,
    ipv4,
    ipv6,
  };
}
