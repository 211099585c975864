/** One pool with every address given out and who holds it. */
import type { Db } from "@/lib/db/client";
import { notFound } from "@/lib/errors";
import type { Actor } from "@/lib/server/actor";
import { poolCounts } from "./pool-counts";
import { requireAdmin } from "@/lib/server/require-admin";

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
