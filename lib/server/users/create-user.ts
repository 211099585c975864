/**
 * Creates a user. Admins create any role (customers of the house or of a reseller);
 * resellers create customers of their own; support and customers create nobody.
 */
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { generatePassword, hashPassword } from "@/lib/security/password";
import { audit } from "@/lib/server/audit/audit";
import type { Actor } from "@/lib/server/actor";
import { parseInput } from "@/lib/server/parse-input";
import { sendWelcome } from "@/lib/server/passwords/send-welcome";
import { createUserInput } from "./user-schemas";
import { userSelect, type UserView } from "./user-view";

/** The created user and, when it was generated, its password (shown once). */
export interface CreatedUser {
  user: UserView;
  generatedPassword: string | null;
}

/** Creates a user after checking what the actor may create. */
export async function createUser(db: Db, actor: Actor, raw: unknown): Promise<CreatedUser> {
  const input = parseInput(createUserInput, raw);
  let resellerId: string | null = null;
  if (actor.role === "RESELLER") {
    if (input.role !== "CUSTOMER") throw new AppError("FORBIDDEN", "resellers can only create customers", "role");
    resellerId = actor.userId;
  } else if (actor.role === "ADMIN") {
    if (input.resellerId) {
      if (input.role !== "CUSTOMER") throw new AppError("BAD_REQUEST", "only customers belong to a reseller", "resellerId");
      const reseller = await db.user.findFirst({ where: { id: input.resellerId, role: "RESELLER" } });
      if (!reseller) throw new AppError("BAD_REQUEST", "no such reseller", "resellerId");
      resellerId = reseller.id;
    }
  } else {
    throw new AppError("FORBIDDEN", "you may not create users");
  }
  if (await db.user.findUnique({ where: { email: input.email } })) {
    throw new AppError("CONFLICT", "a user with this email exists", "email");
  }
  const password = input.password ?? generatePassword();
  const user = await db.user.create({
    // Someone else chose this password (not the operator at the shell, making its own
    // account): the user sets its own at its first login.
    data: { email: input.email, name: input.name, role: input.role, resellerId, passwordHash: await hashPassword(password), mustChangePassword: actor.via !== "cli" },
    select: userSelect,
  });
  await audit(db, actor, "user.create", { type: "user", id: user.id }, { email: user.email, role: user.role, resellerId });
  // With an SMTP server set, the user also gets a link to choose its password (in the background).
  void sendWelcome(db, { id: user.id, email: user.email });
  return { user, generatedPassword: input.password ? null : password };
}
