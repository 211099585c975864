/**
 * Console tickets: a signed ticket verifies to its claims; a changed byte, another
 * secret, an expired or over-long ticket, or any other shape is refused.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { CONSOLE_TICKET_TTL_MS, ConsoleTicketError, newTicketNonce, signConsoleTicket, verifyConsoleTicket } from "./console-ticket";

const secret = "s".repeat(48);
const now = 1_800_000_000_000;
const claims = { nonce: newTicketNonce(), userId: "user1", serverId: "server1", expiresAt: now + 30_000 };

function refused(ticket: string, reason: ConsoleTicketError["reason"], at = now, key = secret): void {
  assert.throws(() => verifyConsoleTicket(key, ticket, at), (e: unknown) => e instanceof ConsoleTicketError && e.reason === reason);
}

test("a ticket verifies to its claims", () => {
  const t = signConsoleTicket(secret, claims);
  assert.match(t, /^vct1\.[\w-]+\.[\w-]{43}$/);
  assert.deepEqual(verifyConsoleTicket(secret, t, now), claims);
  assert.match(newTicketNonce(), /^[\w-]{22}$/);
  assert.notEqual(newTicketNonce(), newTicketNonce());
});

test("tampering, another secret and other shapes are refused", () => {
  const t = signConsoleTicket(secret, claims);
  const [p, body, sig] = t.split(".") as [string, string, string];
  // Another server in the same body, keeping the old signature.
  const forged = Buffer.from(JSON.stringify({ n: claims.nonce, u: "user1", s: "server2", e: claims.expiresAt })).toString("base64url");
  refused(`${p}.${forged}.${sig}`, "signature");
  refused(`${p}.${body}.${sig.slice(0, -2)}AA`, "signature");
  refused(t, "signature", now, "o".repeat(48));
  refused(`vct2.${body}.${sig}`, "malformed");
  refused(`${p}.${body}`, "malformed");
  refused("", "malformed");
  // Correctly signed but not a ticket's shape.
  const odd = signConsoleTicket(secret, { ...claims, nonce: "short" });
  refused(odd, "malformed");
});

test("expired tickets and tickets claiming a longer life are refused", () => {
  refused(signConsoleTicket(secret, claims), "expired", claims.expiresAt);
  refused(signConsoleTicket(secret, { ...claims, expiresAt: now + CONSOLE_TICKET_TTL_MS + 1 }), "lifetime");
  assert.ok(verifyConsoleTicket(secret, signConsoleTicket(secret, { ...claims, expiresAt: now + CONSOLE_TICKET_TTL_MS }), now));
});
