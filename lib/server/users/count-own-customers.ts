/** How many customers a reseller has, for its overview. */
import type { Db } from "@/lib/db/client";
import type { Actor } from "@/lib/server/actor";

/** The number of customers the actor (a reseller) has; other roles have none of their own. */
export async function countOwnCustomers(db: Db, actor: Actor): Promise<number> {
  if (actor.role !== "RESELLER") return 0;
  return db.user.count({ where: { resellerId: actor.userId } });
}
