/**
 * The admin's side of two-factor login: which roles must use it, which single users
 * must, and a reset for a user who lost both the app and the recovery codes (the user
 * enrolls again; its sessions end). Admins only; everyone else gets a 404, as for the
 * other admin pages.
 */
import { z } from "zod";
import type { Prisma } from "@/generated/prisma/sqlite/client";
import type { Db } from "@/lib/db/client";
import { roles } from "@/lib/auth/roles";
import { notFound } from "@/lib/errors";
import { audit } from "@/lib/server/audit/audit";
import type { Actor } from "@/lib/server/actor";
import { pageInput, skipTake, toPage } from "@/lib/server/pagination";
import { parseInput } from "@/lib/server/parse-input";
import { getUserOrThrow } from "@/lib/server/users/get-user-or-throw";
import { twoFactorRoles, twoFactorRolesKey } from "./policy";

function requireAdmin(actor: Actor): void {
  if (actor.role !== "ADMIN") throw notFound();
}

const rolesInput = z.object({ roles: z.array(z.enum(roles)).max(roles.length) }).strict();

/** Sets the roles that must use two-factor login (replaces the list). */
export async function setTwoFactorRoles(db: Db, actor: Actor, raw: unknown) {
  requireAdmin(actor);
  const input = parseInput(rolesInput, raw);
  const value = JSON.stringify(roles.filter((r) => input.roles.includes(r)));
  const before = await twoFactorRoles(db);
  await db.setting.upsert({ where: { key: twoFactorRolesKey }, create: { key: twoFactorRolesKey, value }, update: { value } });
  await audit(db, actor, "security.2fa-roles", undefined, { before, after: JSON.parse(value) as unknown });
  return twoFactorRoles(db);
}

/** Marks one user as required (or no longer required) to use two-factor login. */
export async function setUserTwoFactorRequired(db: Db, actor: Actor, userId: string, required: boolean): Promise<void> {
  requireAdmin(actor);
  const user = await getUserOrThrow(db, actor, userId);
  await db.user.update({ where: { id: user.id }, data: { twoFactorRequired: required } });
  await audit(db, actor, required ? "user.2fa.require" : "user.2fa.unrequire", { type: "user", id: user.id });
}

/** Turns a user's two-factor login off and ends its sessions (it enrolls again if required). */
export async function resetUserTwoFactor(db: Db, actor: Actor, userId: string): Promise<void> {
  requireAdmin(actor);
  const user = await getUserOrThrow(db, actor, userId);
  await db.$transaction([
    db.user.update({
      where: { id: user.id },
      data: { totpEnabled: false, totpEnabledAt: null, totpSecret: null, totpLastStep: null, sessionVersion: { increment: 1 } },
    }),
    db.recoveryCode.deleteMany({ where: { userId: user.id } }),
  ]);
  await audit(db, actor, "user.2fa.reset", { type: "user", id: user.id });
}

const listInput = pageInput.extend({ role: z.enum(roles).optional() });

/** Users with their two-factor state, for the admin's security page. */
export async function listTwoFactorUsers(db: Db, actor: Actor, raw: unknown = {}) {
  requireAdmin(actor);
  const input = parseInput(listInput, raw);
  const where: Prisma.UserWhereInput = {
    AND: [input.role ? { role: input.role } : {}, input.q ? { OR: [{ email: { contains: input.q.toLowerCase() } }, { name: { contains: input.q } }] } : {}],
  };
  const [items, total] = await Promise.all([
    db.user.findMany({
      where,
      select: { id: true, email: true, role: true, status: true, totpEnabled: true, totpEnabledAt: true, twoFactorRequired: true, _count: { select: { recoveryCodes: true } } },
      orderBy: { email: "asc" },
      ...skipTake(input),
    }),
    db.user.count({ where }),
  ]);
  return toPage(items, total, input);
}
