/**
 * Support console grants: an admin lets one support user open consoles on one server
 * for a limited time (the customer asked on the phone, without giving standing consent
 * on the account page). Granting and revoking are admin-only and audited; an expired or
 * revoked grant simply stops counting (see console-access).
 */
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { AppError, notFound } from "@/lib/errors";
import type { Actor } from "@/lib/server/actor";
import { audit } from "@/lib/server/audit/audit";
import { parseInput } from "@/lib/server/parse-input";
import { getServerOrThrow } from "@/lib/server/vservers/get-server-or-throw";

/** The longest a grant may run: a working day. */
export const MAX_GRANT_MINUTES = 12 * 60;

/** What an admin fills in. */
export const grantInput = z
  .object({
    userId: z.string().min(1, "choose a support user").max(64),
    minutes: z.number().int().min(5, "at least 5 minutes").max(MAX_GRANT_MINUTES, `at most ${MAX_GRANT_MINUTES / 60} hours`),
    reason: z.string().trim().max(200).default(""),
  })
  .strict();

/** An active grant as the server page shows it. */
export interface ActiveGrant {
  id: string;
  userEmail: string;
  expiresAt: Date;
  reason: string;
}

function adminOnly(actor: Actor): void {
  if (actor.role !== "ADMIN") throw new AppError("FORBIDDEN", "only admins grant support consoles");
}

/** Grants `userId` (a support user) consoles on the server for `minutes`. */
export async function grantSupportConsole(db: Db, actor: Actor, serverId: string, raw: unknown, now = new Date()): Promise<{ id: string; expiresAt: Date }> {
  adminOnly(actor);
  const input = parseInput(grantInput, raw);
  const server = await getServerOrThrow(db, actor, serverId);
  const user = await db.user.findFirst({ where: { id: input.userId, role: "SUPPORT", status: "ACTIVE" }, select: { id: true, email: true } });
  if (!user) throw new AppError("NOT_FOUND", "No active support user with this id", "userId");
  const expiresAt = new Date(now.getTime() + input.minutes * 60_000);
  const grant = await db.consoleGrant.create({ data: { vserverId: server.id, userId: user.id, grantedById: actor.userId, reason: input.reason, expiresAt } });
  await audit(db, actor, "console.grant", { type: "vserver", id: server.id }, { grantId: grant.id, support: user.email, minutes: input.minutes, reason: input.reason });
  return { id: grant.id, expiresAt };
}

/** Ends a grant now. */
export async function revokeSupportConsole(db: Db, actor: Actor, grantId: string, now = new Date()): Promise<void> {
  adminOnly(actor);
  const grant = await db.consoleGrant.findUnique({ where: { id: grantId }, include: { user: { select: { email: true } } } });
  if (!grant) throw notFound("Grant not found");
  if (!grant.revokedAt) await db.consoleGrant.update({ where: { id: grant.id }, data: { revokedAt: now } });
  await audit(db, actor, "console.revoke", { type: "vserver", id: grant.vserverId }, { grantId: grant.id, support: grant.user.email });
}

/** The grants in force on a server (admins only; others get an empty list). */
export async function listActiveGrants(db: Db, actor: Actor, serverId: string, now = new Date()): Promise<ActiveGrant[]> {
  if (actor.role !== "ADMIN") return [];
  const rows = await db.consoleGrant.findMany({
    where: { vserverId: serverId, revokedAt: null, expiresAt: { gt: now } },
    include: { user: { select: { email: true } } },
    orderBy: { expiresAt: "asc" },
  });
  return rows.map((g) => ({ id: g.id, userEmail: g.user.email, expiresAt: g.expiresAt, reason: g.reason }));
}

/** Active support users an admin can grant a console to. */
export async function listSupportUsers(db: Db, actor: Actor): Promise<{ id: string; email: string }[]> {
  if (actor.role !== "ADMIN") return [];
  return db.user.findMany({ where: { role: "SUPPORT", status: "ACTIVE" }, select: { id: true, email: true }, orderBy: { email: "asc" } });
}
