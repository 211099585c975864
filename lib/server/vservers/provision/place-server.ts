/**
 * Placement: the host with the most unsold memory among those that are online, not
 * draining, below their server count, with room for the limits and with pools for the
 * addresses the plan needs. An admin may name the host instead (still checked). When no
 * host fits, the refusal says for each host what is missing ("host vm: no IPv6 pool").
 * A server counts with its memory plus its swap: the host row records memory only, and
 * swap sold without regard to the host is what lets one reseller's servers push a host
 * into swapping out its neighbours. Counting swap as memory is the cautious reading.
 */
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { formatCpuMilli, formatMb } from "@/lib/format";

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
  const reasons: string[] = [];
  const needMemory = need.memoryMb + need.swapMb;
  const candidates = hosts
    .map((h) => {
      const s = sold.find((x) => x.hostId === h.id);
      const families = new Set(h.pools.map((p) => p.pool.family));
      const servers = s?._count._all ?? 0;
      const freeMemory = h.memoryMb - (s?._sum.memoryMb ?? 0) - (s?._sum.swapMb ?? 0);
      const freeCpu = h.cpuCores * 1000 * 4 - (s?._sum.cpuMilli ?? 0); // CPU may be sold 4:1, memory not
      const why = [
        servers >= h.maxServers ? `${servers} of ${h.maxServers} servers, full` : null,
        freeMemory < needMemory ? `${formatMb(Math.max(0, freeMemory))} memory free, the plan needs ${formatMb(needMemory)}${need.swapMb ? " with its swap" : ""}` : null,
        freeCpu < need.cpuMilli ? `${formatCpuMilli(Math.max(0, freeCpu))} unsold, the plan needs ${formatCpuMilli(need.cpuMilli)}` : null,
        need.ipv4 > 0 && !families.has("IPV4") ? "no IPv4 pool" : null,
        need.ipv6 > 0 && !families.has("IPV6") ? "no IPv6 pool" : null,
      ].filter((w): w is string => w !== null);
      if (why.length) reasons.push(`host ${h.name}: ${why.join(", ")}`);
      return { id: h.id, freeMemory, fits: why.length === 0 };
    })
    .filter((h) => h.fits)
    .sort((a, b) => b.freeMemory - a.freeMemory);
  const best = candidates[0];
  if (!best) {
    const none = hosts.length === 0 ? (need.template ? `no host that is online and not draining has the template ${need.template}` : "no host is online and not draining") : reasons.join("; ");
    throw new AppError("CONFLICT", `no host has room for this server: ${none}`, chosenHostId ? "hostId" : undefined);
  }
  return best.id;
}
