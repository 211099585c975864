/**
 * Redeems a console ticket on the socket that presents it: the signature and lifetime,
 * the user (a ticket is worthless on another user's socket), access to the server again
 * (consent or state may have changed since it was issued), then the ConsoleSession row
 * whose id is the ticket's nonce, which makes a second use fail on the primary key, in
 * whichever panel instance it is tried. Every outcome is audited.
 */
import type { Db } from "@/lib/db/client";
import { panelSecret } from "@/lib/env";
import { AppError } from "@/lib/errors";
import type { Actor } from "@/lib/server/actor";
import { audit } from "@/lib/server/audit/audit";
import { consoleServerOrThrow } from "./console-access";
import { ConsoleTicketError, verifyConsoleTicket } from "./console-ticket";

/** What the relay needs to open the console on the server's host. */
export interface RedeemedConsole {
  sessionId: string;
  server: { id: string; name: string; hostname: string };
  host: { endpoint: string; credentialCiphertext: string; tlsCaPem: string | null };
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: string }).code === "P2002";
}

const invalid = () => new AppError("UNAUTHORIZED", "This console ticket is invalid or has expired. Reload the page to open a new console.");

async function redeem(db: Db, actor: Actor, ticket: string, now: number, note: { serverId?: string; reason?: string }): Promise<RedeemedConsole> {
  let claims;
  try {
    claims = verifyConsoleTicket(panelSecret(), ticket, now);
  } catch (error) {
    note.reason = error instanceof ConsoleTicketError ? error.reason : "malformed";
    throw invalid();
  }
  note.serverId = claims.serverId;
  if (claims.userId !== actor.userId) {
    note.reason = "ticket of another user";
    throw invalid();
  }
  const server = await consoleServerOrThrow(db, actor, claims.serverId, new Date(now));
  const host = await db.host.findUniqueOrThrow({ where: { id: server.hostId }, select: { endpoint: true, credentialCiphertext: true, tlsCaPem: true } });
  try {
    await db.consoleSession.create({ data: { id: claims.nonce, vserverId: server.id, userId: actor.userId, ip: actor.ip, startedAt: new Date(now) } });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    note.reason = "ticket used twice";
    throw new AppError("CONFLICT", "This console ticket was already used. Reload the page to open a new console.");
  }
  return { sessionId: claims.nonce, server: { id: server.id, name: server.name, hostname: server.hostname }, host };
}

/** Redeems `ticket` for `actor`; throws AppError (audited as a failed console.open) when refused. */
export async function redeemConsoleTicket(db: Db, actor: Actor, ticket: string, now = Date.now()): Promise<RedeemedConsole> {
  const note: { serverId?: string; reason?: string } = {};
  try {
    const opened = await redeem(db, actor, ticket, now, note);
    await audit(db, actor, "console.open", { type: "vserver", id: opened.server.id }, { sessionId: opened.sessionId, server: opened.server.name });
    return opened;
  } catch (error) {
    const message = error instanceof AppError ? error.message : "internal error";
    await audit(db, actor, "console.open", note.serverId ? { type: "vserver", id: note.serverId } : undefined, { reason: note.reason ?? message }, false);
    throw error;
  }
}
