/**
 * Writes one audit record: who did what to which target, when, from where, and whether
 * it worked. Every state change in the panel goes through here.
 */
import type { Db } from "@/lib/db/client";

/** Who acted. */
export type Actor =
  | { type: "USER"; id: string }
  | { type: "API_TOKEN"; id: string; tokenId: string }
  | { type: "SYSTEM" };

/** One audit entry to write. */
export interface AuditEntry {
  actor: Actor;
  action: string;
  target?: { type: string; id: string };
  ip?: string | null;
  userAgent?: string | null;
  success?: boolean;
  details?: Record<string, unknown>;
}

/** Records an entry; audit failures are logged, never hide the original outcome. */
export async function recordAudit(db: Db, entry: AuditEntry): Promise<void> {
  const details = entry.actor.type === "API_TOKEN" ? { ...entry.details, tokenId: entry.actor.tokenId } : entry.details;
  try {
    await db.auditLog.create({
      data: {
        actorType: entry.actor.type,
        actorId: entry.actor.type === "SYSTEM" ? null : entry.actor.id,
        action: entry.action,
        targetType: entry.target?.type ?? null,
        targetId: entry.target?.id ?? null,
        ip: entry.ip ?? null,
        userAgent: entry.userAgent?.slice(0, 300) ?? null,
        success: entry.success ?? true,
        details: JSON.stringify(details ?? {}),
      },
    });
  } catch (error) {
    console.error("audit write failed", entry.action, error);
  }
}
