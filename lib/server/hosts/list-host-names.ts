/** Hosts to choose from or to label by (staff pages). */
import type { Db } from "@/lib/db/client";
import { notFound } from "@/lib/errors";
import type { Actor } from "@/lib/server/actor";

/** Every host's id and name, by name; admins and support only. */
export async function listHostNames(db: Db, actor: Actor) {
  if (actor.role !== "ADMIN" && actor.role !== "SUPPORT") throw notFound();
  return db.host.findMany({ select: { id: true, name: true }, orderBy: { name: "asc" } });
}
