/**
 * The source side's offered transfers: one entry per ticket, kept in the agent's memory
 * only (an agent restart withdraws every offer; the panel's job then fails and cleans
 * up). Only a hash of the secret is kept. A ticket is claimed once: the first request
 * with the right secret for the right server before the expiry takes it, every later
 * one is refused, also when the first transfer failed (the panel issues a new ticket).
 */
import crypto from "node:crypto";
import type { TransferTicket } from "@/lib/protocol/migration-operations";
import type { HostPaths } from "../../config/paths";

interface Offer {
  serverName: string;
  secretHash: Buffer;
  expiresAt: number;
  claimed: boolean;
}

const offers = new Map<string, Map<string, Offer>>();

function offersOf(paths: HostPaths): Map<string, Offer> {
  let m = offers.get(paths.runDir);
  if (!m) offers.set(paths.runDir, (m = new Map()));
  return m;
}

const hash = (s: string) => crypto.createHash("sha256").update(s).digest();

/** Records the offer of `ticket` (expired ones are dropped on the way). */
export function offerTicket(paths: HostPaths, ticket: TransferTicket, now = Date.now()): void {
  const m = offersOf(paths);
  for (const [id, o] of m) if (o.expiresAt < now) m.delete(id);
  m.set(ticket.id, { serverName: ticket.serverName, secretHash: hash(ticket.secret), expiresAt: Date.parse(ticket.expiresAt), claimed: false });
}

/** Why a claim was refused, with the HTTP status the route answers. */
export interface TicketRefusal {
  status: 401 | 403 | 409 | 410;
  message: string;
}

/** Claims ticket `id` for `serverName` with `secret`; null when granted, else why not. */
export function claimTicket(paths: HostPaths, id: string, secret: string, serverName: string, now = Date.now()): TicketRefusal | null {
  const o = offersOf(paths).get(id);
  if (!o || !crypto.timingSafeEqual(hash(secret), o.secretHash)) return { status: 401, message: "unknown transfer ticket or wrong secret" };
  if (o.serverName !== serverName) return { status: 403, message: `this ticket is for another server, not "${serverName}"` };
  if (o.expiresAt < now) return { status: 410, message: "the transfer ticket has expired" };
  if (o.claimed) return { status: 409, message: "the transfer ticket was already used" };
  o.claimed = true;
  return null;
}
