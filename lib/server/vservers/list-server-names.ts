/** Every server's id, name and host: to link the hosts' own lists (vserver-stat) to server pages. */
import type { Db } from "@/lib/db/client";
import { notFound } from "@/lib/errors";
import type { Actor } from "@/lib/server/actor";

/** All servers' ids, names and hosts; support and admins only. */
export async function listServerNames(db: Db, actor: Actor) {
  if (actor.role !== "SUPPORT" && actor.role !== "ADMIN") throw notFound();
  return db.vServer.findMany({ select: { id: true, name: true, hostId: true } });
}
