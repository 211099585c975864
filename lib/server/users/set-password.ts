/**
 * Password changes. Changing or resetting a password raises the session version, so
 * every existing session of that user ends (within a minute at most).
 */
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { generatePassword, hashPassword, verifyPassword } from "@/lib/security/password";
import { audit } from "@/lib/server/audit/audit";
import type { Actor } from "@/lib/server/actor";
import { parseInput } from "@/lib/server/parse-input";
import { z } from "zod";
import { recordEvent } from "@/lib/server/events/record-event";
import { getUserOrThrow } from "./get-user-or-throw";
import { passwordField } from "./user-schemas";
import { canManageUser } from "./visible-users-where";

const changeInput = z.object({ currentPassword: z.string().max(1024), newPassword: passwordField }).strict();

/** The signed-in user changes its own password (needs the current one). */
export async function changeOwnPassword(db: Db, actor: Actor, raw: unknown): Promise<void> {
  const input = parseInput(changeInput, raw);
  const user = await db.user.findUniqueOrThrow({ where: { id: actor.userId } });
  if (!(await verifyPassword(input.currentPassword, user.passwordHash))) throw new AppError("BAD_REQUEST", "the current password is wrong", "currentPassword");
  const passwordHash = await hashPassword(input.newPassword);
  await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { passwordHash, mustChangePassword: false, sessionVersion: { increment: 1 } } });
    await recordEvent(tx, { type: "user.password_changed", userId: user.id, data: { ip: actor.ip ?? undefined } });
  });
  await audit(db, actor, "user.change-password", { type: "user", id: user.id });
}

/** An admin (or the customer's reseller) sets a new password (generated when not given);
 * the user must choose its own at its next login. */
export async function resetPassword(db: Db, actor: Actor, id: string, newPassword?: string): Promise<string> {
  const target = await getUserOrThrow(db, actor, id);
  if (!canManageUser(actor, target)) throw new AppError("FORBIDDEN", "you may not reset this user's password");
  const password = newPassword === undefined ? generatePassword() : parseInput(passwordField, newPassword);
  const passwordHash = await hashPassword(password);
  await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id }, data: { passwordHash, mustChangePassword: actor.via !== "cli", sessionVersion: { increment: 1 } } });
    await recordEvent(tx, { type: "user.password_changed", userId: id, data: { by: "provider" } });
  });
  await audit(db, actor, "user.reset-password", { type: "user", id });
  return password;
}
