/** A reseller's quota as set by the admin (null: none set yet). */
import type { Db } from "@/lib/db/client";
import { notFound } from "@/lib/errors";
import type { Actor } from "@/lib/server/actor";

/** The quota of `resellerId`, for admins and for that reseller itself. */
export async function readResellerQuota(db: Db, actor: Actor, resellerId: string) {
  if (actor.role !== "ADMIN" && actor.userId !== resellerId) throw notFound();
  return db.resellerQuota.findUnique({ where: { resellerId } });
}
