/**
 * Which users an actor may see: admins all, support all but read-only, a reseller its
 * own customers (and itself), a customer only itself.
 */
import type { Prisma } from "@/generated/prisma/sqlite/client";
import type { Actor } from "@/lib/server/actor";

/** A Prisma `where` for the users visible to the actor. */
export function visibleUsersWhere(actor: Pick<Actor, "userId" | "role">): Prisma.UserWhereInput {
  switch (actor.role) {
    case "ADMIN":
    case "SUPPORT":
      return {};
    case "RESELLER":
      return { OR: [{ resellerId: actor.userId }, { id: actor.userId }] };
    case "CUSTOMER":
      return { id: actor.userId };
  }
}

/** True if the actor may change this user (support never; a reseller only its customers). */
export function canManageUser(actor: Pick<Actor, "userId" | "role">, target: { id: string; role: string; resellerId: string | null }): boolean {
  if (actor.role === "ADMIN") return true;
  if (actor.role === "RESELLER") return target.role === "CUSTOMER" && target.resellerId === actor.userId;
  return false;
}
