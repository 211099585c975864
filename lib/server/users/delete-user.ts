/** Deletes a user that owns no servers (terminate them first) and has no customers. */
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { audit } from "@/lib/server/audit/audit";
import type { Actor } from "@/lib/server/actor";
import { getUserOrThrow } from "./get-user-or-throw";
import { canManageUser } from "./visible-users-where";

/** Deletes the user. */
export async function deleteUser(db: Db, actor: Actor, id: string): Promise<void> {
  const target = await getUserOrThrow(db, actor, id);
  if (!canManageUser(actor, target)) throw new AppError("FORBIDDEN", "you may not delete this user");
  if (target.id === actor.userId) throw new AppError("BAD_REQUEST", "you cannot delete yourself");
  const [servers, customers] = await Promise.all([db.vServer.count({ where: { ownerId: id } }), db.user.count({ where: { resellerId: id } })]);
  if (servers > 0) throw new AppError("CONFLICT", `this user still owns ${servers} server(s); terminate them first`);
  if (customers > 0) throw new AppError("CONFLICT", `this reseller still has ${customers} customer(s)`);
  await db.user.delete({ where: { id } });
  await audit(db, actor, "user.delete", { type: "user", id }, { email: target.email });
}
