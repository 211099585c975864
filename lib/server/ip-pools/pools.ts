/**
 * IP pools (admin only to change; support reads): create, list with free/used counts,
 * show who holds what, update, delete when empty.
 */
import type { Db } from "@/lib/db/client";
import { AppError, notFound } from "@/lib/errors";
import { assignableCount, parseNetwork, type Network } from "@/lib/net/cidr";
import { audit } from "@/lib/server/audit/audit";
import type { Actor } from "@/lib/server/actor";
import { parseInput } from "@/lib/server/parse-input";
import { createPoolInput, updatePoolInput } from "./pool-schemas";

function requireAdmin(actor: Actor, write: boolean): void {
  if (actor.role === "ADMIN" || (!write && actor.role === "SUPPORT")) return;
  throw new AppError("NOT_FOUND", "Not found");
}

function excludedList(pool: { gateway: string | null; reserved: string }): string[] {
  return [...(pool.gateway ? [pool.gateway] : []), ...pool.reserved.split(",").filter(Boolean)];
}

/** Free and used counts of a pool (free as a string: IPv6 pools are beyond 2^53). */
export function poolCounts(pool: { cidr: string; assignPrefix: number; gateway: string | null; reserved: string }, used: number): { used: number; free: string } {
  const net = parseNetwork(pool.cidr) as Network;
  const free = assignableCount(net, pool.assignPrefix, excludedList(pool).length) - BigInt(used);
  return { used, free: (free > 0n ? free : 0n).toString() };
}

/** Creates a pool. */
export async function createPool(db: Db, actor: Actor, raw: unknown) {
  requireAdmin(actor, true);
  const input = parseInput(createPoolInput, raw);
  if (await db.ipPool.findUnique({ where: { name: input.name } })) throw new AppError("CONFLICT", "a pool with this name exists", "name");
  const hosts = await db.host.findMany({ where: { id: { in: input.hostIds } }, select: { id: true } });
  if (hosts.length !== new Set(input.hostIds).size) throw new AppError("BAD_REQUEST", "unknown host", "hostIds");
  const pool = await db.ipPool.create({
    data: {
      name: input.name,
      family: input.family,
      cidr: input.cidr,
      gateway: input.gateway,
      assignPrefix: input.assignPrefix,
      reserved: input.reserved.join(","),
      hosts: { create: hosts.map((h) => ({ hostId: h.id })) },
    },
  });
  await audit(db, actor, "ip-pool.create", { type: "ip-pool", id: pool.id }, { cidr: pool.cidr });
  return pool;
}

/** Lists pools with counts and hosts. */
export async function listPools(db: Db, actor: Actor) {
  requireAdmin(actor, false);
  const pools = await db.ipPool.findMany({
    orderBy: [{ family: "asc" }, { name: "asc" }],
    include: { hosts: { include: { host: { select: { id: true, name: true } } } }, _count: { select: { addresses: true } } },
  });
  return pools.map((p) => ({ ...p, hosts: p.hosts.map((h) => h.host), ...poolCounts(p, p._count.addresses) }));
}

/** One pool with every address given out and who holds it. */
export async function getPoolDetail(db: Db, actor: Actor, id: string) {
  requireAdmin(actor, false);
  const pool = await db.ipPool.findUnique({
    where: { id },
    include: {
      hosts: { include: { host: { select: { id: true, name: true } } } },
      addresses: { orderBy: { createdAt: "asc" }, include: { vserver: { select: { id: true, name: true, owner: { select: { id: true, email: true } } } } } },
    },
  });
  if (!pool) throw notFound("Pool not found");
  return { ...pool, hosts: pool.hosts.map((h) => h.host), ...poolCounts(pool, pool.addresses.length) };
}

/** Updates a pool's name, gateway, reserved list or hosts. */
export async function updatePool(db: Db, actor: Actor, id: string, raw: unknown) {
  requireAdmin(actor, true);
  const input = parseInput(updatePoolInput, raw);
  const pool = await db.ipPool.findUnique({ where: { id } });
  if (!pool) throw notFound("Pool not found");
  const updated = await db.$transaction(async (tx) => {
    if (input.hostIds) {
      const hosts = await tx.host.findMany({ where: { id: { in: input.hostIds } }, select: { id: true } });
      if (hosts.length !== new Set(input.hostIds).size) throw new AppError("BAD_REQUEST", "unknown host", "hostIds");
      await tx.ipPoolHost.deleteMany({ where: { poolId: id } });
      await tx.ipPoolHost.createMany({ data: hosts.map((h) => ({ poolId: id, hostId: h.id })) });
    }
    return tx.ipPool.update({
      where: { id },
      data: {
        ...(input.name ? { name: input.name } : {}),
        ...(input.gateway !== undefined ? { gateway: input.gateway } : {}),
        ...(input.reserved ? { reserved: input.reserved.join(",") } : {}),
      },
    });
  });
  await audit(db, actor, "ip-pool.update", { type: "ip-pool", id }, { fields: Object.keys(input) });
  return updated;
}

/** Deletes a pool that has no addresses out. */
export async function deletePool(db: Db, actor: Actor, id: string): Promise<void> {
  requireAdmin(actor, true);
  const used = await db.ipAddress.count({ where: { poolId: id } });
  if (used > 0) throw new AppError("CONFLICT", `${used} address(es) of this pool are still assigned`);
  const deleted = await db.ipPool.deleteMany({ where: { id } });
  if (deleted.count === 0) throw notFound("Pool not found");
  await audit(db, actor, "ip-pool.delete", { type: "ip-pool", id });
}
