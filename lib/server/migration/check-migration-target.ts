/**
 * Whether a server can move to a host now (issue 16, offline migration): both hosts
 * online, another host than its own, not draining, with room for its memory and CPU
 * (the placement rules), and every address's pool linked to the target host too, so the
 * addresses move with it — or, when the admin chooses, get new addresses from the
 * target's pools instead.
 */
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { requireHostOnline } from "@/lib/server/hosts/host-offline";
import { placeServer } from "@/lib/server/vservers/provision/place-server";
import { canBeMoveSource } from "./move-source";

/** The server fields the check needs. */
export interface MigratingServer {
  id: string;
  name: string;
  hostId: string;
  memoryMb: number;
  swapMb: number;
  cpuMilli: number;
  addresses: { id: string; address: string; poolId: string; family: "IPV4" | "IPV6" }[];
}

/**
 * Throws the reason the server cannot move to `targetHostId`; returns both host rows and
 * the addresses that must change (their pool is not linked to the target). Those are
 * refused unless `newAddresses` is chosen; then the target must have a pool of each
 * such address's family to give it a new one from.
 */
export async function checkMigrationTarget(db: Db, server: MigratingServer, targetHostId: string, options: { newAddresses?: boolean } = {}) {
  if (server.hostId === targetHostId) throw new AppError("BAD_REQUEST", "the server is already on that host", "targetHostId");
  const [source, target] = await Promise.all([db.host.findUnique({ where: { id: server.hostId } }), db.host.findUnique({ where: { id: targetHostId } })]);
  if (!source) throw new AppError("CONFLICT", "the server's host no longer exists");
  if (!target) throw new AppError("BAD_REQUEST", "no such host", "targetHostId");
  requireHostOnline(source);
  requireHostOnline(target);
  if (!canBeMoveSource(source)) {
    throw new AppError("CONFLICT", `host ${source.name} is not reachable over TLS (https endpoint with its certificate): the target pulls the server from it`);
  }
  // The placement rules, on that host only (addresses are checked below, by pool).
  await placeServer(db, { cpuMilli: server.cpuMilli, memoryMb: server.memoryMb, swapMb: server.swapMb, ipv4: 0, ipv6: 0 }, targetHostId);
  const taken = await db.vServer.count({ where: { hostId: targetHostId, name: server.name } });
  if (taken) throw new AppError("CONFLICT", `host ${target.name} already has a server named ${server.name}`, "targetHostId");
  const linked = new Set((await db.ipPoolHost.findMany({ where: { hostId: targetHostId }, select: { poolId: true } })).map((l) => l.poolId));
  const stranded = server.addresses.filter((a) => !linked.has(a.poolId));
  if (stranded.length && !options.newAddresses) {
    const pools = await db.ipPool.findMany({ where: { id: { in: [...new Set(stranded.map((a) => a.poolId))] } }, select: { name: true } });
    throw new AppError(
      "CONFLICT",
      `${stranded.map((a) => a.address).join(", ")} cannot move to host ${target.name}: pool ${pools.map((p) => p.name).join(", ")} is not linked to it (link the pool to both hosts, or choose new addresses from ${target.name}'s pools)`,
      "targetHostId",
    );
  }
  for (const family of new Set(stranded.map((a) => a.family))) {
    const pools = await db.ipPool.count({ where: { family, hosts: { some: { hostId: targetHostId } } } });
    if (!pools) throw new AppError("CONFLICT", `host ${target.name} has no ${family === "IPV4" ? "IPv4" : "IPv6"} pool to give the server a new address from`, "newAddresses");
  }
  return { source, target, stranded };
}
