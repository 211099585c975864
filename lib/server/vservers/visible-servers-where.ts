/**
 * The ownership filter for servers, by role: admins and support see all, a reseller
 * its customers' servers, a customer its own. Every server query goes through this.
 */
import type { SessionUser } from "@/lib/server/auth/current-user";

/** A Prisma `where` for the servers the user may see. */
export function visibleServersWhere(user: Pick<SessionUser, "id" | "role">) {
  switch (user.role) {
    case "ADMIN":
    case "SUPPORT":
      return {};
    case "RESELLER":
      return { owner: { resellerId: user.id } };
    case "CUSTOMER":
      return { ownerId: user.id };
  }
}
