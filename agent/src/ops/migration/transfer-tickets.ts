/**
 * The source side's offered transfers: one entry per ticket, kept in the agent's memory
 * only (an agent restart withdraws every offer; the panel's job then fails and cleans
 * up). Only a hash of the secret is kept. A ticket is claimed once: the first request
 * with the right secret for the right server before the expiry takes it. After that, a
 * request for the rest of the same archive (a `Range` request: the target's stream was
 * cut) is granted until the archive was sent whole or the ticket expires; any other
 * request is refused (a failed transfer is retried with a new ticket).
 */
import crypto from "node:crypto";
import type { TransferTicket } from "@/lib/protocol/migration-operations";
import type { HostPaths } from "../../config/paths";
import type { RoundKind } from "./archive-round";

interface Offer {
  serverName: string;
  secretHash: Buffer;
  expiresAt: number;
  claimed: boolean;
  /** The archive was sent whole: nothing is left to resume. */
  complete: boolean;
  /** What the archive holds (a whole stopped root unless a pre-copy round). */
  round: RoundKind;
}

const offers = new Map<string, Map<string, Offer>>();

function offersOf(paths: HostPaths): Map<string, Offer> {
  let m = offers.get(paths.runDir);
  if (!m) offers.set(paths.runDir, (m = new Map()));
  return m;
}

const hash = (s: string) => crypto.createHash("sha256").update(s).digest();

/** Records the offer of `ticket` for a `round` (expired ones are dropped on the way). */
export function offerTicket(paths: HostPaths, ticket: TransferTicket, now = Date.now(), round: RoundKind = { live: false, changedOnly: false }): void {
  const m = offersOf(paths);
  for (const [id, o] of m) if (o.expiresAt < now) m.delete(id);
  m.set(ticket.id, { serverName: ticket.serverName, secretHash: hash(ticket.secret), expiresAt: Date.parse(ticket.expiresAt), claimed: false, complete: false, round });
}

/** What ticket `id`'s archive holds, or null when it is not offered. */
export function offeredRound(paths: HostPaths, id: string): RoundKind | null {
  return offersOf(paths).get(id)?.round ?? null;
}

/** Why a claim was refused, with the HTTP status the route answers. */
export interface TicketRefusal {
  status: 401 | 403 | 409 | 410;
  message: string;
}

/**
 * Claims ticket `id` for `serverName` with `secret` — or, with `resume` (a Range
 * request), continues the transfer it opened. Resolves with "first" (archive and send),
 * "resume" (send the rest of the archive made for the first), or why not.
 */
export function claimTicket(paths: HostPaths, id: string, secret: string, serverName: string, opts: { resume?: boolean; now?: number } = {}): TicketRefusal | "first" | "resume" {
  const now = opts.now ?? Date.now();
  const o = offersOf(paths).get(id);
  if (!o || !crypto.timingSafeEqual(hash(secret), o.secretHash)) return { status: 401, message: "unknown transfer ticket or wrong secret" };
  if (o.serverName !== serverName) return { status: 403, message: `this ticket is for another server, not "${serverName}"` };
  if (o.expiresAt < now) return { status: 410, message: "the transfer ticket has expired" };
  if (o.complete) return { status: 409, message: "the transfer ticket was already used" };
  if (o.claimed && !opts.resume) return { status: 409, message: "the transfer ticket was already used (only the rest of its transfer may be asked for, with Range)" };
  if (o.claimed) return "resume";
  o.claimed = true;
  return "first";
}

/**
 * Whether the server's history may be pulled under ticket `id` (after its round:
 * history-route requests): the right secret for the right server before the expiry,
 * and the ticket's archive asked for first.
 */
export function checkHistoryClaim(paths: HostPaths, id: string, secret: string, serverName: string, now = Date.now()): TicketRefusal | null {
  const o = offersOf(paths).get(id);
  if (!o || !crypto.timingSafeEqual(hash(secret), o.secretHash)) return { status: 401, message: "unknown transfer ticket or wrong secret" };
  if (o.serverName !== serverName) return { status: 403, message: `this ticket is for another server, not "${serverName}"` };
  if (o.expiresAt < now) return { status: 410, message: "the transfer ticket has expired" };
  if (!o.claimed) return { status: 409, message: "the history follows its round: ask for the round first" };
  return null;
}

/** When ticket `id` expires (ms since the epoch), or null when it is not offered. */
export function ticketExpiry(paths: HostPaths, id: string): number | null {
  return offersOf(paths).get(id)?.expiresAt ?? null;
}

/** Records that ticket `id`'s archive was sent whole: no request is granted under it any more. */
export function completeTicket(paths: HostPaths, id: string): void {
  const o = offersOf(paths).get(id);
  if (o) o.complete = true;
}

/** Withdraws every offer of `serverName`; returns their ticket ids. */
export function withdrawOffers(paths: HostPaths, serverName: string): string[] {
  const m = offersOf(paths);
  const ids = [...m].filter(([, o]) => o.serverName === serverName).map(([id]) => id);
  for (const id of ids) m.delete(id);
  return ids;
}
