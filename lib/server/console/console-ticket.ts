/**
 * Console tickets: what the console page fetches and presents in `console.open`, so the
 * page never holds anything long-lived. A ticket names one user and one server, lives at
 * most a minute, and is HMAC-SHA256-signed with a key derived from the panel secret for
 * this purpose only (a session cookie or a sealed credential can never pass for one).
 * Its nonce becomes the ConsoleSession's id when it is redeemed, so the database's
 * primary key makes it single-use across every panel instance.
 */
import crypto from "node:crypto";
import { z } from "zod";

/** The longest a ticket may live. */
export const CONSOLE_TICKET_TTL_MS = 60_000;

const prefix = "vct1";

/** What a ticket says. */
export interface ConsoleTicketClaims {
  /** Random, 128 bits: the id of the ConsoleSession it opens. */
  nonce: string;
  userId: string;
  serverId: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

const claimsSchema = z
  .object({
    n: z.string().regex(/^[A-Za-z0-9_-]{22}$/),
    u: z.string().min(1).max(64),
    s: z.string().min(1).max(64),
    e: z.number().int().positive(),
  })
  .strict();

/** Why a ticket was refused (for logs and tests; the user is told only that it is invalid or expired). */
export class ConsoleTicketError extends Error {
  override readonly name = "ConsoleTicketError";
  constructor(readonly reason: "malformed" | "signature" | "expired" | "lifetime") {
    super(`console ticket refused: ${reason}`);
  }
}

function key(secret: string): Buffer {
  return Buffer.from(crypto.hkdfSync("sha256", secret, "vserver-panel", "console-ticket v1", 32));
}

function mac(secret: string, body: string): Buffer {
  return crypto.createHmac("sha256", key(secret)).update(`${prefix}.${body}`).digest();
}

/** A fresh random nonce (also the ConsoleSession id). */
export function newTicketNonce(): string {
  return crypto.randomBytes(16).toString("base64url");
}

/** Signs claims into a ticket string. */
export function signConsoleTicket(secret: string, claims: ConsoleTicketClaims): string {
  const body = Buffer.from(JSON.stringify({ n: claims.nonce, u: claims.userId, s: claims.serverId, e: claims.expiresAt })).toString("base64url");
  return `${prefix}.${body}.${mac(secret, body).toString("base64url")}`;
}

/** Checks signature and lifetime; returns the claims or throws ConsoleTicketError. */
export function verifyConsoleTicket(secret: string, ticket: string, now = Date.now()): ConsoleTicketClaims {
  const parts = ticket.split(".");
  if (parts.length !== 3 || parts[0] !== prefix || !parts[1] || !parts[2] || parts[1].length > 1000) throw new ConsoleTicketError("malformed");
  const given = Buffer.from(parts[2], "base64url");
  const expected = mac(secret, parts[1]);
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) throw new ConsoleTicketError("signature");
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8"));
  } catch {
    throw new ConsoleTicketError("malformed");
  }
  const parsed = claimsSchema.safeParse(raw);
  if (!parsed.success) throw new ConsoleTicketError("malformed");
  const c = parsed.data;
  if (c.e <= now) throw new ConsoleTicketError("expired");
  // Even a correctly signed ticket may not claim a longer life than the panel gives one.
  if (c.e - now > CONSOLE_TICKET_TTL_MS) throw new ConsoleTicketError("lifetime");
  return { nonce: c.n, userId: c.u, serverId: c.s, expiresAt: c.e };
}
