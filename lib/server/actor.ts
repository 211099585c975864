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
  /** How the request came: the browser, an API token, or the operator's CLI on the panel machine. */
  via: "session" | "token" | "cli";
  tokenId?: string;
  /** A customer's token: what it may do (lib/server/api-tokens/token-scopes.ts); absent: everything the role may. */
  scopes?: readonly string[];
  ip: string | null;
  userAgent: string | null;
}

/** The audit log's view of an actor. */
export function auditActor(actor: Actor): AuditActor {
  if (actor.via === "cli") return { type: "SYSTEM" };
  return actor.via === "token" && actor.tokenId ? { type: "API_TOKEN", id: actor.userId, tokenId: actor.tokenId } : { type: "USER", id: actor.userId };
}

/** The operator at the panel machine's shell (`npm run admin`), acting for `userId`. */
export function cliActor(userId: string, role: RoleName = "ADMIN"): Actor {
  return { userId, role, via: "cli", ip: null, userAgent: `cli:${process.env.SUDO_USER ?? process.env.USER ?? "root"}` };
}

/** True for roles that may change things (support only reads). */
export function canWrite(actor: Actor): boolean {
  return actor.role !== "SUPPORT";
}
