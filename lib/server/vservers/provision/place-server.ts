/**
 * Placement: the host with the most unsold memory among those that are online, not
 * draining, below their server count, with room for the limits and with pools for the
 * addresses the plan needs. An admin may name the host instead (still checked).
 * A server counts with its memory plus its swap: the host row records memory only, and
 * swap sold without regard to the host is what lets one reseller's servers push a host
 * into swapping out its neighbours. Counting swap as memory is the cautious reading.
 */
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";

/** What placement must fit. */
export interface PlacementNeed {
  cpuMilli: number;
  memoryMb: number;
  swapMb: number;
  ipv4: number;
  ipv6: number;
  /** A template the host must have (template builds). */
  template?: string;
}

/** Returns the id of the chosen host. */
export async function placeServer(db: Db, need: PlacementNeed, chosenHostId?: string): Promise<string> {
  const hosts = await db.host.findMany({
    where: {
      ...(chosenHostId ? { id: chosenHostId } : {}),
      status: { not: "OFFLINE" },
      draining: false,
      ...(need.template ? { templates: { some: { name: need.template } } } : {}),
    },
    include: { pools: { include: { pool: { select: { family: true } } } } },
  });
  if (chosenHostId && hosts.length === 0) {
    throw new AppError("BAD_REQUEST", need.template ? "that host is offline, draining, unknown or lacks the template" : "that host is offline, draining or unknown", "hostId");
  }
  const sold = await db.vServer.groupBy({ by: ["hostId"], _count: { _all: true }, _sum: { memoryMb: true, swapMb: true, cpuMilli: true } });
  const candidates = hosts
    .map((h) => {
      const s = sold.find((x) => x.hostId === h.id);
      return {
        id: h.id,
        servers: s?._count._all ?? 0,
        freeMemory: h.memoryMb - (s?._sum.memoryMb ?? 0) - (s?._sum.swapMb ?? 0),
        freeCpu: h.cpuCores * 1000 * 4 - (s?._sum.cpuMilli ?? 0), // CPU may be sold 4:1, memory not
        families: new Set(h.pools.map((p) => p.pool.family)),
        maxServers: h.maxServers,
      };
    })
    .filter(
      (h) =>
        h.servers < h.maxServers &&
        h.freeMemory >= need.memoryMb + need.swapMb &&
        h.freeCpu >= need.cpuMilli &&
        (need.ipv4 === 0 || h.families.has("IPV4")) &&
        (need.ipv6 === 0 || h.families.has("IPV6")),
    )
    .sort((a, b) => b.freeMemory - a.freeMemory);
  const best = candidates[0];
  if (!best) {
    throw new AppError("CONFLICT", chosenHostId ? "that host has no room (servers, memory, CPU or address pools) for this server" : "no host has room for this server; add capacity or pools", chosenHostId ? "hostId" : undefined);
  }
  return best.id;
}
