/**
 * The ownership filter for backups, by role. A backup outlives its server (a terminated
 * server's backups stay for the grace period), so it is authorized by the owner recorded
 * on it, not through the server row: admins and support see all, a reseller its
 * customers', a customer its own.
 */
import type { Prisma } from "@/generated/prisma/sqlite/client";
import type { Db } from "@/lib/db/client";
import type { Actor } from "@/lib/server/actor";

/** A Prisma `where` for the backups the actor may see. */
export async function visibleBackupsWhere(db: Db, actor: Pick<Actor, "userId" | "role">): Promise<Prisma.BackupWhereInput> {
  switch (actor.role) {
    case "ADMIN":
    case "SUPPORT":
      return {};
    case "RESELLER": {
      const customers = await db.user.findMany({ where: { resellerId: actor.userId }, select: { id: true } });
      return { ownerId: { in: customers.map((c) => c.id) } };
    }
    case "CUSTOMER":
      return { ownerId: actor.userId };
  }
}
