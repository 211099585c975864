/**
 * API tokens: admins' and resellers' (billing systems, acting with their creator's
 * rights) and customers' (scripts on their own servers, narrowed to the scopes chosen and
 * to what a customer may do). Shown once, stored as SHA-256, revocable, optionally
 * expiring. Sent as `Authorization: Bearer vsp_…`.
 */
import crypto from "node:crypto";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { AppError, notFound } from "@/lib/errors";
import { audit } from "@/lib/server/audit/audit";
import type { Actor } from "@/lib/server/actor";
import { parseInput } from "@/lib/server/parse-input";
import { readScopes, storeScopes, tokenScopesInput } from "./token-scopes";

const createInput = z
  .object({
    name: z.string().trim().min(1, "is required").max(100),
    expiresInDays: z.number().int().min(1).max(3650).optional(),
    /** Customers' tokens only (required there). */
    scopes: tokenScopesInput.optional(),
  })
  .strict();

function hash(token: string): string {
  return crypto.createHash("sha256").update(token, "utf8").digest("hex");
}

/** Roles that may hold tokens (support only reads in the browser). */
const tokenRoles = new Set(["ADMIN", "RESELLER", "CUSTOMER"]);

/** Creates a token for the actor (admin, reseller or customer with scopes); returns it once. */
export async function createApiToken(db: Db, actor: Actor, raw: unknown): Promise<{ id: string; token: string; prefix: string }> {
  if (!tokenRoles.has(actor.role)) throw new AppError("FORBIDDEN", "support accounts cannot create API tokens");
  if (actor.via === "token") throw new AppError("FORBIDDEN", "tokens cannot create tokens");
  const input = parseInput(createInput, raw);
  if (actor.role === "CUSTOMER" && !input.scopes) throw new AppError("BAD_REQUEST", "scopes: choose at least one scope", "scopes");
  if (actor.role !== "CUSTOMER" && input.scopes) throw new AppError("BAD_REQUEST", "scopes: only customers' tokens have scopes (yours act with all your rights)", "scopes");
  const token = `vsp_${crypto.randomBytes(30).toString("base64url")}`;
  const prefix = token.slice(0, 12);
  const row = await db.apiToken.create({
    data: {
      userId: actor.userId,
      name: input.name,
      prefix,
      tokenHash: hash(token),
      expiresAt: input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 86400_000) : null,
      scopes: input.scopes ? storeScopes(input.scopes) : null,
    },
  });
  await audit(db, actor, "token.create", { type: "api-token", id: row.id }, { name: input.name, ...(input.scopes ? { scopes: input.scopes } : {}) });
  return { id: row.id, token, prefix };
}

/** The actor's tokens (admins see everyone's). Never the hash. */
export async function listApiTokens(db: Db, actor: Actor) {
  if (!tokenRoles.has(actor.role)) throw notFound();
  return db.apiToken.findMany({
    where: actor.role === "ADMIN" ? {} : { userId: actor.userId },
    select: { id: true, name: true, prefix: true, scopes: true, createdAt: true, lastUsedAt: true, expiresAt: true, revokedAt: true, user: { select: { email: true } } },
    orderBy: { createdAt: "desc" },
  });
}

/** Revokes a token (its owner or an admin). */
export async function revokeApiToken(db: Db, actor: Actor, id: string): Promise<void> {
  const token = await db.apiToken.findFirst({ where: { id, ...(actor.role === "ADMIN" ? {} : { userId: actor.userId }) } });
  if (!token || !tokenRoles.has(actor.role)) throw notFound("Token not found");
  await db.apiToken.update({ where: { id }, data: { revokedAt: token.revokedAt ?? new Date() } });
  await audit(db, actor, "token.revoke", { type: "api-token", id });
}

/** Resolves a bearer token to its actor, or null (unknown, revoked, expired, owner inactive). */
export async function authenticateToken(db: Db, bearer: string | null, ip: string | null, userAgent: string | null): Promise<Actor | null> {
  if (!bearer?.startsWith("vsp_") || bearer.length > 200) return null;
  const row = await db.apiToken.findUnique({ where: { tokenHash: hash(bearer) }, include: { user: { select: { id: true, role: true, status: true } } } });
  if (!row || row.revokedAt || (row.expiresAt && row.expiresAt < new Date()) || row.user.status !== "ACTIVE") return null;
  if (!tokenRoles.has(row.user.role)) return null;
  // A customer's token without scopes (none can be made) would mean "everything": refuse it.
  const scopes = readScopes(row.scopes);
  if (row.user.role === "CUSTOMER" && !scopes?.length) return null;
  // Last-use time is informational: write it at most once a minute.
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
    await db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } });
  }
  return { userId: row.user.id, role: row.user.role, via: "token", tokenId: row.id, ip, userAgent, ...(row.user.role === "CUSTOMER" ? { scopes: scopes! } : {}) };
}
