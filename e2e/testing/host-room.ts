/**
 * Makes room on a host for what a spec is about to build, as an admin would raise a
 * host's sold capacity: earlier specs of the same run leave their servers on the host's
 * books (some on purpose, for later checks), so a spec that builds must not depend on
 * the order it runs in. Returns the function that puts the host's figures back.
 */
import type { Db } from "@/lib/db/client";

/** Raises the host's cores and server count so `servers` more servers of `cpuMilli` each fit. */
export async function ensureHostRoom(db: Db, hostId: string, need: { servers: number; cpuMilli: number }): Promise<() => Promise<void>> {
  const host = await db.host.findUniqueOrThrow({ where: { id: hostId }, select: { cpuCores: true, maxServers: true } });
  const sold = await db.vServer.aggregate({ where: { hostId }, _count: { _all: true }, _sum: { cpuMilli: true } });
  // CPU is sold 4:1 (place-server.ts).
  const cores = Math.max(host.cpuCores, Math.ceil(((sold._sum.cpuMilli ?? 0) + need.servers * need.cpuMilli) / 4000));
  const maxServers = Math.max(host.maxServers, sold._count._all + need.servers);
  await db.host.update({ where: { id: hostId }, data: { cpuCores: cores, maxServers } });
  return async () => {
    await db.host.update({ where: { id: hostId }, data: { cpuCores: host.cpuCores, maxServers: host.maxServers } });
  };
}
