/**
 * Whether a server can move to a host now (issue 16, offline migration): both hosts
 * online, another host than its own, not draining, with room for its memory and CPU
 * (the placement rules), and every address's pool linked to the target host too, so the
 * addresses move with it. Choosing new addresses instead is not done yet: such a move is
 * refused with the pools named.
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
  addresses: { address: string; poolId: string }[];
}

/** Throws the reason the server cannot move to `targetHostId`; returns both host rows. */
export async function checkMigrationTarget(db: Db, server: MigratingServer, targetHostId: string) {
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
  if (stranded.length) {
    const pools = await db.ipPool.findMany({ where: { id: { in: [...new Set(stranded.map((a) => a.poolId))] } }, select: { name: true } });
    throw new AppError(
      "CONFLICT",
      `${stranded.map((a) => a.address).join(", ")} cannot move to host ${target.name}: pool ${pools.map((p) => p.name).join(", ")} is not linked to it (link the pool to both hosts; choosing new addresses during a move is not supported yet)`,
      "targetHostId",
    );
  }
  return { source, target };
}
