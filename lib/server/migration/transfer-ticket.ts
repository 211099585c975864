/** The panel's one-time transfer tickets (issue 16): random id and secret, bound to one server and both hosts. */
import crypto from "node:crypto";
import type { TransferTicket } from "@/lib/protocol/migration-operations";

/** How long a ticket lets the target start pulling. */
export const transferTicketLifetimeMs = 10 * 60 * 1000;

/** A new ticket for moving `serverName` from `sourceHostId` to `targetHostId`. */
export function issueTransferTicket(serverName: string, sourceHostId: string, targetHostId: string, lifetimeMs = transferTicketLifetimeMs): TransferTicket {
  return {
    id: crypto.randomBytes(16).toString("hex"),
    secret: crypto.randomBytes(32).toString("base64url"),
    serverName,
    sourceHostId,
    targetHostId,
    expiresAt: new Date(Date.now() + lifetimeMs).toISOString(),
  };
}
