/** The administrator's overview: hosts with their server counts, and what is sold. */
import type { Db } from "@/lib/db/client";
import { notFound } from "@/lib/errors";
import type { Actor } from "@/lib/server/actor";

/** Hosts (by name, with their number of servers) and the counts of servers, customers and resellers; admins only. */
export async function adminOverview(db: Db, actor: Actor) {
  if (actor.role !== "ADMIN") throw notFound();
  const [hosts, servers, customers, resellers] = await Promise.all([
    db.host.findMany({ orderBy: { name: "asc" }, include: { _count: { select: { vservers: true } } } }),
    db.vServer.count(),
    db.user.count({ where: { role: "CUSTOMER" } }),
    db.user.count({ where: { role: "RESELLER" } }),
  ]);
  return { hosts, servers, customers, resellers };
}
