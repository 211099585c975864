/** Shorthand to audit an actor's action on a target. */
import type { Db } from "@/lib/db/client";
import type { Actor } from "@/lib/server/actor";
import { auditActor } from "@/lib/server/actor";
import { recordAudit } from "./record-audit";

/** Records `action` by `actor` on `target`. */
export function audit(
  db: Db,
  actor: Actor,
  action: string,
  target: { type: string; id: string } | undefined,
  details: Record<string, unknown> = {},
  success = true,
): Promise<void> {
  return recordAudit(db, { actor: auditActor(actor), action, target, ip: actor.ip, userAgent: actor.userAgent, details, success });
}
