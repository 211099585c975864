/** Plans visible to the actor. */
import type { Prisma } from "@/generated/prisma/sqlite/client";
import type { Actor } from "@/lib/server/actor";

/** Plans visible to the actor. */
export function visiblePlansWhere(actor: Pick<Actor, "userId" | "role">): Prisma.PlanWhereInput {
  if (actor.role === "ADMIN" || actor.role === "SUPPORT") return {};
  if (actor.role === "RESELLER") return { OR: [{ ownerId: null }, { ownerId: actor.userId }] };
  return { id: "__none__" };
}
