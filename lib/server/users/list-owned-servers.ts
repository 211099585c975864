/** The servers an account owns, for its detail page. */
import type { Db } from "@/lib/db/client";
import type { Actor } from "@/lib/server/actor";
import { getUserOrThrow } from "./get-user-or-throw";

/** Servers owned by `userId`, by name; a user the actor may not see is a 404. */
export async function listOwnedServers(db: Db, actor: Actor, userId: string) {
  await getUserOrThrow(db, actor, userId);
  return db.vServer.findMany({ where: { ownerId: userId }, select: { id: true, name: true, state: true }, orderBy: { name: "asc" } });
}
