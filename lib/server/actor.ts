/**
 * Who is asking: a signed-in user (browser) or an API token (billing system), with the
 * address it came from. Every domain function takes an Actor and authorizes by it.
 */
import type { RoleName } from "@/lib/auth/roles";
import type { Actor as AuditActor } from "@/lib/server/audit/record-audit";

/** The caller of a domain function. */
export interface Actor {
  userId: string;
  role: RoleName;
  via: "session" | "token";
  tokenId?: string;
  ip: string | null;
  userAgent: string | null;
}

/** The audit log's view of an actor. */
export function auditActor(actor: Actor): AuditActor {
  return actor.via === "token" && actor.tokenId ? { type: "API_TOKEN", id: actor.userId, tokenId: actor.tokenId } : { type: "USER", id: actor.userId };
}

/** True for roles that may change things (support only reads). */
export function canWrite(actor: Actor): boolean {
  return actor.role !== "SUPPORT";
}
