/**
 * Open consoles are checked while they run, not only when they open. The panel instance
 * relaying a console re-checks on every sweep that its user may still have it (a support
 * grant runs out or is revoked, the customer withdraws consent, the server is suspended
 * or stops) and touches its row (`seenAt`); any instance ends the rows nobody touched for
 * a while: their relay's panel stopped or crashed (the agent hung the shell up when the
 * stream dropped), and without this their end would never reach the audit log.
 */
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import type { Actor } from "@/lib/server/actor";
import { consoleServerOrThrow } from "./console-access";
import { endConsoleSession } from "./end-console-session";

/** How often the relaying panel re-checks and touches its open consoles. */
export const consoleSweepMs = 10_000;

/** A session not touched for this long lost its relay. */
export const consoleAbandonedAfterMs = 6 * consoleSweepMs;

/** null while `actor` may keep a console on the server, else the message to show. */
export async function consoleRevocation(db: Db, actor: Actor, serverId: string, now = new Date()): Promise<string | null> {
  try {
    await consoleServerOrThrow(db, actor, serverId, now);
    return null;
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return error.code === "NOT_FOUND" ? "You no longer have access to this server." : error.message;
  }
}

/** Marks the open sessions `ids` as relayed at `now`. */
export async function touchConsoleSessions(db: Db, ids: readonly string[], now = new Date()): Promise<void> {
  if (ids.length === 0) return;
  await db.consoleSession.updateMany({ where: { id: { in: [...ids] }, endedAt: null }, data: { seenAt: now } });
}

/**
 * Ends (end time: when last seen) and audits the open sessions not touched for
 * `abandonedAfterMs`; returns how many. Safe to run in every instance at once: each
 * session ends once (endConsoleSession).
 */
export async function endAbandonedConsoleSessions(db: Db, now = new Date(), abandonedAfterMs = consoleAbandonedAfterMs): Promise<number> {
  const rows = await db.consoleSession.findMany({
    where: { endedAt: null, seenAt: { lt: new Date(now.getTime() - abandonedAfterMs) } },
    select: { id: true, userId: true, ip: true, seenAt: true, user: { select: { role: true } } },
    take: 500,
  });
  for (const row of rows) {
    const actor: Actor = { userId: row.userId, role: row.user.role, via: "session", ip: row.ip, userAgent: null };
    await endConsoleSession(db, actor, row.id, { reason: "lost", message: "the panel relaying it stopped" }, row.seenAt);
  }
  return rows.length;
}
