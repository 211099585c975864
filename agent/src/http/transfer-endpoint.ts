/**
 * `GET /transfer/<ticket id>?server=<name>` with `Authorization: Ticket <secret>`: the
 * streamed route another agent pulls a migrating server from (issue 16). It is not an
 * operation of the wire contract (not JSON, not the panel's credential): the one-time
 * ticket the panel offered (offerTransfer) is the only key, and it opens exactly one
 * transfer of exactly its server before its expiry; with `Range: bytes=N-` the rest of
 * that transfer's archive (its stream was cut) until it was sent whole.
 * `GET /transfer/<ticket id>/history?server=<name>`, same key, after the round: the
 * server's usage history when the round moved it stopped (404 when there is none).
 */
import type http from "node:http";
import type { HostPaths } from "../config/paths";
import { AgentFailure } from "../errors";
import { checkHistoryClaim, claimTicket } from "../ops/migration/transfer-tickets";
import { hasHistory, sendHistory } from "../ops/migration/send-history";
import { sendTransfer } from "../ops/migration/send-transfer";
import { log } from "./log";

const routePattern = /^\/transfer\/([0-9a-f]{32})(\/history)?\?server=([a-z0-9][a-z0-9-]{0,62})$/;

/** Whether `url` is the transfer route (handled here, not by the operation router). */
export function isTransferRoute(url: string | undefined): boolean {
  return (url ?? "").startsWith("/transfer/");
}

function refuse(res: http.ServerResponse, status: number, message: string): void {
  const text = JSON.stringify({ ok: false, error: { message } });
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) }).end(text);
}

/** Serves the history route: the staged history of the ticket's round, once. */
async function handleHistory(res: http.ServerResponse, paths: HostPaths, id: string, secret: string, name: string): Promise<void> {
  const refusal = checkHistoryClaim(paths, id, secret, name);
  if (refusal) {
    log("warn", "transfer history refused", { ticket: id, name, why: refusal.message });
    return refuse(res, refusal.status, refusal.message);
  }
  if (!hasHistory(paths, id)) return refuse(res, 404, "no history travels with this round (a round while the server runs, or a server without history)");
  try {
    await sendHistory(paths, id, res);
  } catch (e) {
    log("warn", "transfer history failed", { ticket: id, name, error: String((e as Error)?.message ?? e) });
    res.destroy();
  }
}

/** Serves one transfer request. */
export async function handleTransfer(req: http.IncomingMessage, res: http.ServerResponse, paths: HostPaths): Promise<void> {
  const m = routePattern.exec(req.url ?? "");
  if (req.method !== "GET" || !m) return refuse(res, 404, "transfers are GET /transfer/<ticket id>[/history]?server=<name>");
  const auth = req.headers.authorization ?? "";
  const secret = auth.startsWith("Ticket ") ? auth.slice(7).trim() : "";
  const [, id, history, name] = m as unknown as [string, string, string | undefined, string];
  if (history) return handleHistory(res, paths, id, secret, name);
  const range = req.headers.range;
  const from = range === undefined ? null : /^bytes=(\d{1,15})-$/.exec(range)?.[1];
  if (from === undefined) return refuse(res, 416, "only one open-ended range is served: Range: bytes=<first byte>-");
  const claim = claimTicket(paths, id, secret, name, { resume: from !== null });
  if (typeof claim !== "string") {
    log("warn", "transfer refused", { ticket: id, name, why: claim.message });
    return refuse(res, claim.status, claim.message);
  }
  try {
    await sendTransfer(paths, id, name, res, { first: claim === "first", from: from === null ? null : Number(from) });
  } catch (e) {
    log("warn", "transfer failed", { ticket: id, name, error: String((e as Error)?.message ?? e) });
    if (!res.headersSent) return refuse(res, e instanceof AgentFailure && (e.code === "WRONG_STATE" || e.code === "CONFLICT") ? 409 : e instanceof AgentFailure && e.code === "BAD_REQUEST" ? 416 : 500, (e as Error).message);
    res.destroy();
  }
}
