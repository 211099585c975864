/**
 * Handlers of the migration operations (issue 16): offerTransfer and withdrawTransfers (source) and
 * receiveTransfer (target, slow: an operation whose log lines count the bytes).
 */
import { transferTicketMaxLifetimeMs } from "@/lib/protocol/migration-operations";
import { AgentFailure } from "../errors";
import { ensureServerStopped } from "../ops/templates/export-vserver";
import { offerTicket } from "../ops/migration/transfer-tickets";
import { receiveTransfer } from "../ops/migration/receive-transfer";
import { withdrawTransfers } from "../ops/migration/withdraw-transfers";
import type { Handler } from "./handlers";
import { operationStore } from "./operation-registry";
import { requireServer } from "./require-server";

function checkLifetime(expiresAt: string): void {
  const left = Date.parse(expiresAt) - Date.now();
  if (left <= 0) throw new AgentFailure("CONFLICT", "the transfer ticket has expired", "ticket.expiresAt");
  if (left > transferTicketMaxLifetimeMs) throw new AgentFailure("BAD_REQUEST", "a transfer ticket may live one hour at most", "ticket.expiresAt");
}

/** offerTransfer: the server must exist here, be stopped, and be the ticket's. */
export const offerTransfer: Handler<"offerTransfer"> = async (input, ctx) => {
  requireServer(ctx.paths, input.name);
  if (input.ticket.serverName !== input.name) throw new AgentFailure("BAD_REQUEST", "the ticket is for another server", "ticket.serverName");
  checkLifetime(input.ticket.expiresAt);
  ensureServerStopped(ctx.paths, input.name, "a server moves to another host while stopped");
  // A new offer replaces the earlier ones (a move that starts over after a panel restart).
  withdrawTransfers(ctx.paths, input.name);
  offerTicket(ctx.paths, input.ticket);
  return { name: input.name, expiresAt: input.ticket.expiresAt };
};

/** withdrawTransfers: the server's offers and their staged archives go (none is no error). */
export const withdrawTransfersHandler: Handler<"withdrawTransfers"> = async (input, ctx) => {
  return { name: input.name, withdrawn: withdrawTransfers(ctx.paths, input.name) };
};

/** receiveTransfer: checked at once, pulled and built as an operation. */
export const receiveTransferHandler: Handler<"receiveTransfer"> = async (input, ctx) => {
  if (input.ticket.serverName !== input.server.name) throw new AgentFailure("BAD_REQUEST", "the ticket is for another server", "ticket.serverName");
  checkLifetime(input.ticket.expiresAt);
  const id = operationStore(ctx.paths).start("receive-transfer", input.server.name, async (op) => {
    await receiveTransfer(ctx.paths, { ticket: input.ticket, source: input.source, server: input.server, log: op.log, progress: op.progress });
  });
  return { operationId: id, name: input.server.name };
};
