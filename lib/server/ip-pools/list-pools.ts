/** Lists pools with counts and hosts. */
import type { Db } from "@/lib/db/client";
import type { Actor } from "@/lib/server/actor";
import { poolCounts } from "./pool-counts";
import { requireAdmin } from "@/lib/server/require-admin";

/** Lists pools with counts and hosts. */
export async function listPools(db: Db, actor: Actor) {
  requireAdmin(actor, false);
  const pools = await db.ipPool.findMany({
    orderBy: [{ family: "asc" }, { name: "asc" }],
    include: { hosts: { include: { host: { select: { id: true, name: true } } } }, _count: { select: { addresses: true } } },
  });
  return pools.map((p) => ({ ...p, hosts: p.hosts.map((h) => h.host), ...poolCounts(p, p._count.addresses) }));
}
