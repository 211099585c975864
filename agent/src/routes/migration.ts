/**
 * Handlers of the migration operations (issue 16): offerTransfer and withdrawTransfers
 * (source), receiveTransfer and syncTransfer (target, slow: operations whose log lines
 * count the bytes).
 */
import { transferTicketMaxLifetimeMs } from "@/lib/protocol/migration-operations";
import { AgentFailure } from "../errors";
import { ensureServerStopped } from "../ops/templates/export-vserver";
import { offerTicket } from "../ops/migration/transfer-tickets";
import { receiveTransfer } from "../ops/migration/receive-transfer";
import { withdrawTransfers } from "../ops/migration/withdraw-transfers";
import { applyRound } from "../ops/migration/apply-round";
import { baselineOf, dropBaseline } from "../ops/migration/round-baseline";
import type { Handler } from "./handlers";
import { operationStore } from "./operation-registry";
import { requireServer } from "./require-server";

function checkLifetime(expiresAt: string): void {
  const left = Date.parse(expiresAt) - Date.now();
  if (left <= 0) throw new AgentFailure("CONFLICT", "the transfer ticket has expired", "ticket.expiresAt");
  if (left > transferTicketMaxLifetimeMs) throw new AgentFailure("BAD_REQUEST", "a transfer ticket may live one hour at most", "ticket.expiresAt");
}

/**
 * offerTransfer: the server must exist here and be the ticket's; stopped unless the
 * round is `live`; a round of changes needs an earlier round of this server.
 */
export const offerTransfer: Handler<"offerTransfer"> = async (input, ctx) => {
  requireServer(ctx.paths, input.name);
  if (input.ticket.serverName !== input.name) throw new AgentFailure("BAD_REQUEST", "the ticket is for another server", "ticket.serverName");
  checkLifetime(input.ticket.expiresAt);
  if (!input.live) ensureServerStopped(ctx.paths, input.name, "a server moves to another host while stopped (or in live pre-copy rounds)");
  if (input.changedOnly && !baselineOf(ctx.paths, input.name)) {
    throw new AgentFailure("CONFLICT", `no earlier round of ${input.name} is known here (the agent restarted?); the move starts over with a whole round`, "changedOnly");
  }
  // A new offer replaces the earlier ones (the next round, or a move that starts over after a panel restart).
  withdrawTransfers(ctx.paths, input.name);
  offerTicket(ctx.paths, input.ticket, Date.now(), { live: input.live, changedOnly: input.changedOnly });
  return { name: input.name, expiresAt: input.ticket.expiresAt };
};

/** withdrawTransfers: the server's offers, their staged archives and its rounds' record go (none is no error). */
export const withdrawTransfersHandler: Handler<"withdrawTransfers"> = async (input, ctx) => {
  dropBaseline(ctx.paths, input.name);
  return { name: input.name, withdrawn: withdrawTransfers(ctx.paths, input.name) };
};

/** receiveTransfer: checked at once, pulled and built as an operation. */
export const receiveTransferHandler: Handler<"receiveTransfer"> = async (input, ctx) => {
  if (input.ticket.serverName !== input.server.name) throw new AgentFailure("BAD_REQUEST", "the ticket is for another server", "ticket.serverName");
  checkLifetime(input.ticket.expiresAt);
  const id = operationStore(ctx.paths).start("receive-transfer", input.server.name, async (op) => {
    return receiveTransfer(ctx.paths, { ticket: input.ticket, source: input.source, server: input.server, log: op.log, progress: op.progress });
  });
  return { operationId: id, name: input.server.name };
};

/** syncTransfer: checked at once, pulled and applied as an operation (its result: the round's bytes). */
export const syncTransferHandler: Handler<"syncTransfer"> = async (input, ctx) => {
  if (input.ticket.serverName !== input.name) throw new AgentFailure("BAD_REQUEST", "the ticket is for another server", "ticket.serverName");
  checkLifetime(input.ticket.expiresAt);
  requireServer(ctx.paths, input.name);
  const id = operationStore(ctx.paths).start("sync-transfer", input.name, async (op) => {
    const r = await applyRound(ctx.paths, { ticket: input.ticket, source: input.source, name: input.name, log: op.log, progress: op.progress });
    return { ...r };
  });
  return { operationId: id, name: input.name };
};
