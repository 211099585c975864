/** Records the end of a console session (once): its end time and an audit entry with the reason. */
import type { Db } from "@/lib/db/client";
import type { Actor } from "@/lib/server/actor";
import { audit } from "@/lib/server/audit/audit";

/** How a session ended, as the relay saw it. */
export interface ConsoleSessionEnd {
  reason: string;
  message: string;
}

/** Sets endedAt if not set yet and audits `console.close`; a second call changes nothing. */
export async function endConsoleSession(db: Db, actor: Actor, sessionId: string, end: ConsoleSessionEnd, now = new Date()): Promise<void> {
  const row = await db.consoleSession.findUnique({ where: { id: sessionId }, select: { vserverId: true, startedAt: true, endedAt: true } });
  if (!row || row.endedAt) return;
  const { count } = await db.consoleSession.updateMany({ where: { id: sessionId, endedAt: null }, data: { endedAt: now } });
  if (count === 0) return;
  const seconds = Math.max(0, Math.round((now.getTime() - row.startedAt.getTime()) / 1000));
  await audit(db, actor, "console.close", { type: "vserver", id: row.vserverId }, { sessionId, reason: end.reason, message: end.message, seconds });
}
