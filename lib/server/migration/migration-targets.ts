/**
 * The hosts a server could move to, for the "Move to host…" control (admins): every
 * other host with its free memory and server slots by the placement rules' counting
 * (memory plus swap sold), why it cannot take the server now, if it cannot, which of
 * its addresses would change there, and why a live move (CRIU) is not possible between
 * the two hosts (what each host's `criu check` said; live moves are not built yet).
 */
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import type { Actor } from "@/lib/server/actor";
import { isKnownOffline } from "@/lib/server/hosts/host-offline";
import { hostCapabilitiesOf } from "@/lib/server/hosts/host-capabilities";

/** One candidate host. */
export interface MigrationTarget {
  id: string;
  name: string;
  freeMemoryMb: number;
  servers: number;
  maxServers: number;
  /** Why the server cannot move there now (null: it can, as far as the panel knows). */
  refusal: string | null;
  /** Its addresses that would change there (their pool is not linked to that host): new ones come from its pools, if the admin chooses. */
  changingAddresses: string[];
  /** Why the server cannot move live (CRIU) to this host, for the admin before choosing. */
  liveUnavailable: string;
}

/** Why a live move from `source` to `target` is not possible (each host's `criu check` as its agent reported it). */
export function liveMoveRefusal(source: { name: string; capabilities: string | null }, target: { name: string; capabilities: string | null }): string {
  // Each reason once, with the hosts it holds for ("a and b: criu check fails here: …").
  const reasons = new Map<string, string[]>();
  for (const h of [source, target]) {
    const check = hostCapabilitiesOf(h.capabilities)?.criuCheck;
    const reason = !check ? "its agent has not reported a criu check" : check.passes ? null : check.detail;
    if (reason !== null) reasons.set(reason, [...(reasons.get(reason) ?? []), h.name]);
  }
  if (reasons.size === 0) return "criu check passes on both hosts, but live moves are not built in this version yet";
  return [...reasons].map(([reason, hosts]) => `${hosts.join(" and ")}: ${reason}`).join("; ");
}

/** The candidates for server `serverId` (admins only). */
export async function listMigrationTargets(db: Db, actor: Pick<Actor, "role">, serverId: string): Promise<MigrationTarget[]> {
  if (actor.role !== "ADMIN") throw new AppError("FORBIDDEN", "only admins move servers between hosts");
  const server = await db.vServer.findUniqueOrThrow({ where: { id: serverId }, include: { addresses: { select: { poolId: true, address: true, family: true } } } });
  const source = await db.host.findUniqueOrThrow({ where: { id: server.hostId }, select: { name: true, capabilities: true } });
  const hosts = await db.host.findMany({ where: { id: { not: server.hostId } }, include: { pools: { select: { poolId: true, pool: { select: { family: true } } } } }, orderBy: { name: "asc" } });
  const sold = await db.vServer.groupBy({ by: ["hostId"], _count: { _all: true }, _sum: { memoryMb: true, swapMb: true } });
  const need = server.memoryMb + server.swapMb;
  return hosts.map((h) => {
    const s = sold.find((x) => x.hostId === h.id);
    const servers = s?._count._all ?? 0;
    const freeMemoryMb = h.memoryMb - (s?._sum.memoryMb ?? 0) - (s?._sum.swapMb ?? 0);
    const linked = new Set(h.pools.map((p) => p.poolId));
    const changing = server.addresses.filter((a) => !linked.has(a.poolId));
    const families = new Set(h.pools.map((p) => p.pool.family));
    const refusal = isKnownOffline(h)
      ? "offline"
      : h.draining
        ? "draining"
        : servers >= h.maxServers
          ? "no server slot free"
          : freeMemoryMb < need
            ? "not enough free memory"
            : changing.some((a) => !families.has(a.family))
              ? `no ${changing.some((a) => a.family === "IPV4" && !families.has("IPV4")) ? "IPv4" : "IPv6"} pool there for a new address`
              : null;
    return { id: h.id, name: h.name, freeMemoryMb, servers, maxServers: h.maxServers, refusal, changingAddresses: changing.map((a) => a.address), liveUnavailable: liveMoveRefusal(source, h) };
  });
}
