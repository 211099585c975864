/**
 * API tokens for billing systems: created by admins and resellers, acting with their
 * creator's rights, shown once, stored as SHA-256, revocable, optionally expiring.
 * Sent as `Authorization: Bearer vsp_…`.
 */
import crypto from "node:crypto";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { AppError, notFound } from "@/lib/errors";
import { audit } from "@/lib/server/audit/audit";
import type { Actor } from "@/lib/server/actor";
import { parseInput } from "@/lib/server/parse-input";

const createInput = z
  .object({
    name: z.string().trim().min(1, "is required").max(100),
    expiresInDays: z.number().int().min(1).max(3650).optional(),
  })
  .strict();

function hash(token: string): string {
  return crypto.createHash("sha256").update(token, "utf8").digest("hex");
}

/** Creates a token for the actor (admin or reseller); returns it once. */
export async function createApiToken(db: Db, actor: Actor, raw: unknown): Promise<{ id: string; token: string; prefix: string }> {
  if (actor.role !== "ADMIN" && actor.role !== "RESELLER") throw new AppError("FORBIDDEN", "only admins and resellers create API tokens");
  if (actor.via === "token") throw new AppError("FORBIDDEN", "tokens cannot create tokens");
  const input = parseInput(createInput, raw);
  const token = `vsp_${crypto.randomBytes(30).toString("base64url")}`;
  const prefix = token.slice(0, 12);
  const row = await db.apiToken.create({
    data: {
      userId: actor.userId,
      name: input.name,
      prefix,
      tokenHash: hash(token),
      expiresAt: input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 86400_000) : null,
    },
  });
  await audit(db, actor, "token.create", { type: "api-token", id: row.id }, { name: input.name });
  return { id: row.id, token, prefix };
}

/** The actor's tokens (admins see everyone's). Never the hash. */
export async function listApiTokens(db: Db, actor: Actor) {
  if (actor.role !== "ADMIN" && actor.role !== "RESELLER") throw notFound();
  return db.apiToken.findMany({
    where: actor.role === "ADMIN" ? {} : { userId: actor.userId },
    select: { id: true, name: true, prefix: true, createdAt: true, lastUsedAt: true, expiresAt: true, revokedAt: true, user: { select: { email: true } } },
    orderBy: { createdAt: "desc" },
  });
}

/** Revokes a token (its owner or an admin). */
export async function revokeApiToken(db: Db, actor: Actor, id: string): Promise<void> {
  const token = await db.apiToken.findFirst({ where: { id, ...(actor.role === "ADMIN" ? {} : { userId: actor.userId }) } });
  if (!token || (actor.role !== "ADMIN" && actor.role !== "RESELLER")) throw notFound("Token not found");
  await db.apiToken.update({ where: { id }, data: { revokedAt: token.revokedAt ?? new Date() } });
  await audit(db, actor, "token.revoke", { type: "api-token", id });
}

/** Resolves a bearer token to its actor, or null (unknown, revoked, expired, owner inactive). */
export async function authenticateToken(db: Db, bearer: string | null, ip: string | null, userAgent: string | null): Promise<Actor | null> {
  if (!bearer?.startsWith("vsp_") || bearer.length > 200) return null;
  const row = await db.apiToken.findUnique({ where: { tokenHash: hash(bearer) }, include: { user: { select: { id: true, role: true, status: true } } } });
  if (!row || row.revokedAt || (row.expiresAt && row.expiresAt < new Date()) || row.user.status !== "ACTIVE") return null;
  if (row.user.role !== "ADMIN" && row.user.role !== "RESELLER") return null;
  // Last-use time is informational: write it at most once a minute.
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
    await db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } });
  }
  return { userId: row.user.id, role: row.user.role, via: "token", tokenId: row.id, ip, userAgent };
}
