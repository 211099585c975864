/** Resellers to choose from (an admin assigning a customer or filtering users). */
import type { Db } from "@/lib/db/client";
import { notFound } from "@/lib/errors";
import type { Actor } from "@/lib/server/actor";

/** Every reseller's id and e-mail, by e-mail; admins only. */
export async function listResellerChoices(db: Db, actor: Actor) {
  if (actor.role !== "ADMIN") throw notFound();
  return db.user.findMany({ where: { role: "RESELLER" }, select: { id: true, email: true }, orderBy: { email: "asc" } });
}
