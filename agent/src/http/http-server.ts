/**
 * The agent's HTTP API: `POST /v1/<operation>` with a JSON body, one route per entry of
 * the wire contract. Every request is authenticated, parsed by the operation's schema
 * (unknown fields rejected) and answered `{ok:true,result}` or `{ok:false,error}`.
 */
import crypto from "node:crypto";
import http from "node:http";
import { agentErrorStatus, operations, type AgentErrorCode, type OperationName } from "@/lib/protocol";
import { AgentFailure } from "../errors";
import type { HostPaths } from "../config/paths";
import { handlers, type Handler } from "../routes/handlers";
import { verifyToken } from "../auth/credential";
import { backupDownloadPath } from "@/lib/protocol/backups";
import { serveBackupDownload } from "./backup-download";
import { log } from "./log";
import { handleTransfer, isTransferRoute } from "./transfer-endpoint";

/** What the server needs to run. */
export interface ApiServerOptions {
  paths: HostPaths;
  /** Returns the current credential hash (re-read so rotation takes effect at once). */
  credentialHash: () => string;
}

const maxBodyBytes = 1024 * 1024;
/** Past this much of an oversized body the connection is cut instead of drained. */
const maxDrainBytes = 32 * maxBodyBytes;
const opNames = new Set(Object.keys(operations));

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), "cache-control": "no-store" });
  res.end(text);
}

function sendError(res: http.ServerResponse, code: AgentErrorCode, message: string, requestId: string, field?: string): void {
  send(res, agentErrorStatus[code], { ok: false, error: { code, message, requestId, ...(field ? { field } : {}) } });
}

/**
 * Reads the body. An oversized one is refused at once but drained (up to a bound), not
 * cut: cutting the connection while the caller still writes loses the answer, and the
 * caller would see a reset instead of the reason.
 */
function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxDrainBytes) req.destroy();
      if (size > maxBodyBytes) {
        chunks.length = 0;
        reject(new AgentFailure("BAD_REQUEST", `request body larger than ${maxBodyBytes} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

async function handle(req: http.IncomingMessage, res: http.ServerResponse, options: ApiServerOptions): Promise<void> {
  const headerId = req.headers["x-request-id"];
  const requestId = typeof headerId === "string" && /^[\w.-]{1,100}$/.test(headerId) ? headerId : crypto.randomUUID();
  res.setHeader("x-request-id", requestId);
  const started = process.hrtime.bigint();
  // Another agent pulling a migrating server: keyed by its one-time ticket, not the panel's credential.
  if (isTransferRoute(req.url)) return handleTransfer(req, res, options.paths);
  const auth = req.headers.authorization;
  const token = auth?.startsWith("Bearer ") ? auth.slice("Bearer ".length).trim() : undefined;
  if (!verifyToken(token, options.credentialHash())) {
    sendError(res, "UNAUTHORIZED", "missing or wrong agent credential", requestId);
    return;
  }
  if (req.url === backupDownloadPath) {
    if (req.method !== "POST") return sendError(res, "BAD_REQUEST", "operations are called with POST", requestId);
    try {
      const text = await readBody(req);
      await serveBackupDownload(res, { paths: options.paths, requestId, body: text.trim() === "" ? {} : JSON.parse(text) });
    } catch (error) {
      if (res.headersSent) return;
      if (error instanceof AgentFailure) sendError(res, error.code, error.message, requestId, error.field);
      else if (error instanceof SyntaxError) sendError(res, "BAD_REQUEST", "request body is not valid JSON", requestId);
      else sendError(res, "INTERNAL", "internal agent error; see the agent log", requestId);
    }
    return;
  }
  const match = /^\/v1\/([A-Za-z]+)$/.exec(req.url ?? "");
  const name = match?.[1];
  if (!name || !opNames.has(name)) {
    sendError(res, "NOT_FOUND", `no such operation: ${req.url ?? ""}`, requestId);
    return;
  }
  if (req.method !== "POST" && !(req.method === "GET" && name === "health")) {
    sendError(res, "BAD_REQUEST", "operations are called with POST", requestId);
    return;
  }
  const op = operations[name as OperationName];
  let raw: unknown = {};
  try {
    const text = await readBody(req);
    raw = text.trim() === "" ? {} : (JSON.parse(text) as unknown);
  } catch (error) {
    const message = error instanceof AgentFailure ? error.message : "request body is not valid JSON";
    sendError(res, "BAD_REQUEST", message, requestId);
    return;
  }
  const parsed = op.input.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join(".") || undefined;
    sendError(res, "BAD_REQUEST", `${field ? `${field}: ` : ""}${issue?.message ?? "invalid input"}`, requestId, field);
    return;
  }
  try {
    const handler = handlers[name as OperationName] as Handler<OperationName>;
    const result = await handler(parsed.data as never, { requestId, paths: options.paths });
    send(res, 200, { ok: true, result });
    log("info", "op", { op: name, requestId, ms: Number(process.hrtime.bigint() - started) / 1e6 });
  } catch (error) {
    if (error instanceof AgentFailure) {
      sendError(res, error.code, error.message, requestId, error.field);
      log("warn", "op failed", { op: name, requestId, code: error.code, error: error.message });
    } else {
      sendError(res, "INTERNAL", "internal agent error; see the agent log", requestId);
      log("error", "op crashed", { op: name, requestId, error: String((error as Error)?.stack ?? error) });
    }
  }
}

/** Creates the API server (not yet listening). */
export function createApiServer(options: ApiServerOptions): http.Server {
  const server = http.createServer((req, res) => {
    handle(req, res, options).catch((error: unknown) => {
      log("error", "request crashed", { error: String(error) });
      if (!res.headersSent) sendError(res, "INTERNAL", "internal agent error", "unknown");
    });
  });
  // CONNECT is no operation: answered like any other wrong method (Node would drop the
  // connection without a word when nobody listens for it).
  server.on("connect", (_req: http.IncomingMessage, socket: import("node:stream").Duplex) => {
    const text = JSON.stringify({ ok: false, error: { code: "BAD_REQUEST", message: "operations are called with POST" } });
    socket.on("error", () => undefined);
    socket.end(`HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(text)}\r\nconnection: close\r\n\r\n${text}`);
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 0; // long operations stream; per-op code bounds its own time
  return server;
}
