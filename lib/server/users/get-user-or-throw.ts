/** Loads a user the actor may see, or a 404 that does not reveal whether it exists. */
import type { Db } from "@/lib/db/client";
import { notFound } from "@/lib/errors";
import type { Actor } from "@/lib/server/actor";
import { userSelect, type UserView } from "./user-view";
import { visibleUsersWhere } from "./visible-users-where";

/** The user, if visible to the actor. */
export async function getUserOrThrow(db: Db, actor: Actor, id: string): Promise<UserView> {
  const user = await db.user.findFirst({ where: { AND: [{ id }, visibleUsersWhere(actor)] }, select: userSelect });
  if (!user) throw notFound("User not found");
  return user;
}
