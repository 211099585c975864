/** Changes a user's name, e-mail or support-console consent. */
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { audit } from "@/lib/server/audit/audit";
import type { Actor } from "@/lib/server/actor";
import { parseInput } from "@/lib/server/parse-input";
import { getUserOrThrow } from "./get-user-or-throw";
import { updateUserInput } from "./user-schemas";
import { userSelect, type UserView } from "./user-view";
import { canManageUser } from "./visible-users-where";

/** Updates a user the actor manages (a customer may change its own console consent and name). */
export async function updateUser(db: Db, actor: Actor, id: string, raw: unknown): Promise<UserView> {
  const input = parseInput(updateUserInput, raw);
  const target = await getUserOrThrow(db, actor, id);
  const self = target.id === actor.userId;
  if (!canManageUser(actor, target) && !(self && input.email === undefined)) throw new AppError("FORBIDDEN", "you may not change this user");
  if (input.email && input.email !== target.email && (await db.user.findUnique({ where: { email: input.email } }))) {
    throw new AppError("CONFLICT", "a user with this email exists", "email");
  }
  const user = await db.user.update({ where: { id }, data: input, select: userSelect });
  await audit(db, actor, "user.update", { type: "user", id }, { fields: Object.keys(input) });
  return user;
}
