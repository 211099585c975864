/** Issues a console ticket to a signed-in user for a server it may open a console on. */
import type { Db } from "@/lib/db/client";
import { panelSecret } from "@/lib/env";
import type { Actor } from "@/lib/server/actor";
import { consoleServerOrThrow } from "./console-access";
import { CONSOLE_TICKET_TTL_MS, newTicketNonce, signConsoleTicket } from "./console-ticket";

/** A ticket and when it stops working. */
export interface IssuedTicket {
  ticket: string;
  expiresAt: string;
}

/** Checks access now (the redeem checks again) and signs a ticket for this user and server. */
export async function issueConsoleTicket(db: Db, actor: Actor, serverId: string, now = Date.now()): Promise<IssuedTicket> {
  const server = await consoleServerOrThrow(db, actor, serverId, new Date(now));
  const expiresAt = now + CONSOLE_TICKET_TTL_MS;
  return { ticket: signConsoleTicket(panelSecret(), { nonce: newTicketNonce(), userId: actor.userId, serverId: server.id, expiresAt }), expiresAt: new Date(expiresAt).toISOString() };
}
