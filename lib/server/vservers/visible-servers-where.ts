/**
 * The ownership filter for servers, by role: admins and support see all, a reseller
 * its customers' servers, a customer its own. Every server query goes through this.
 */
import type { Prisma } from "@/generated/prisma/sqlite/client";
import type { Actor } from "@/lib/server/actor";

/** A Prisma `where` for the servers the actor may see. */
export function visibleServersWhere(actor: Pick<Actor, "userId" | "role">): Prisma.VServerWhereInput {
  switch (actor.role) {
    case "ADMIN":
    case "SUPPORT":
      return {};
    case "RESELLER":
      return { owner: { resellerId: actor.userId } };
    case "CUSTOMER":
      return { ownerId: actor.userId };
  }
}
