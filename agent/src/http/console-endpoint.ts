/**
 * `GET /v1/console` upgraded to a WebSocket: one console session per connection (see
 * lib/protocol/console.ts). Everything that can be refused is refused before the
 * upgrade, as an ordinary agent error answer: a missing or wrong credential (401), a bad
 * query (400), an unknown server (404), a stopped one (409), too many consoles (422).
 * Closing the socket, for any reason, hangs up the shell.
 */
import crypto from "node:crypto";
import type http from "node:http";
import type https from "node:https";
import type { Duplex } from "node:stream";
import { WebSocketServer } from "ws";
import { agentErrorStatus, type AgentErrorCode } from "@/lib/protocol";
import { consoleOpenQuery, consolePath } from "@/lib/protocol/console";
import type { HostPaths } from "../config/paths";
import { AgentFailure } from "../errors";
import { verifyToken } from "../auth/credential";
import { prepareConsole, startConsole, type PreparedConsole } from "../ops/console/open-console";
import { ConsoleRelay } from "./console-relay";
import { log } from "./log";

/** What the endpoint needs. */
export interface ConsoleEndpointOptions {
  paths: HostPaths;
  /** The current credential hash (re-read on every request, so rotation applies at once). */
  credentialHash: () => string;
  /** Ping interval that finds a dead panel connection (default 30 s). */
  pingMs?: number;
}

/** The largest frame a panel may send (an input frame of 64 Ki characters, JSON-escaped). */
const MAX_PAYLOAD = 512 << 10;

function refuse(socket: Duplex, code: AgentErrorCode, message: string, requestId: string, field?: string): void {
  const status = agentErrorStatus[code];
  const body = JSON.stringify({ ok: false, error: { code, message, requestId, ...(field ? { field } : {}) } });
  socket.end(
    `HTTP/1.1 ${status} ${code}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      `X-Request-Id: ${requestId}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** An admitted console request, or why it is refused. */
type Admission =
  | { ok: true; prepared: PreparedConsole; cols: number; rows: number; idleMs: number; session: string }
  | { ok: false; code: AgentErrorCode; message: string; field?: string };

/** Authenticates and checks an upgrade request, before anything is started. */
function admit(req: http.IncomingMessage, options: ConsoleEndpointOptions, requestId: string): Admission {
  const url = new URL(req.url ?? "/", "http://agent");
  const auth = req.headers.authorization;
  const token = auth?.startsWith("Bearer ") ? auth.slice("Bearer ".length).trim() : undefined;
  if (!verifyToken(token, options.credentialHash())) return { ok: false, code: "UNAUTHORIZED", message: "missing or wrong agent credential" };
  if (url.pathname !== consolePath) return { ok: false, code: "NOT_FOUND", message: `no upgrade at ${url.pathname}` };
  if (req.headers.upgrade?.toLowerCase() !== "websocket") return { ok: false, code: "BAD_REQUEST", message: "the console needs a WebSocket upgrade" };
  const parsed = consoleOpenQuery.safeParse(Object.fromEntries(url.searchParams));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join(".") || undefined;
    return { ok: false, code: "BAD_REQUEST", message: `${field ? `${field}: ` : ""}${issue?.message ?? "invalid query"}`, field };
  }
  const q = parsed.data;
  try {
    return { ok: true, prepared: prepareConsole(options.paths, q.name), cols: q.cols, rows: q.rows, idleMs: q.idle * 1000, session: q.session };
  } catch (error) {
    if (error instanceof AgentFailure) return { ok: false, code: error.code, message: error.message, field: error.field };
    log("error", "console check crashed", { requestId, error: String((error as Error)?.stack ?? error) });
    return { ok: false, code: "INTERNAL", message: "internal agent error; see the agent log" };
  }
}

/** Answers console upgrades on `server` (the server that actually listens, TLS or not). */
export function attachConsoleEndpoint(server: http.Server | https.Server, options: ConsoleEndpointOptions): { close(): void } {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_PAYLOAD, perMessageDeflate: false });
  const onUpgrade = (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on("error", () => socket.destroy());
    const headerId = req.headers["x-request-id"];
    const requestId = typeof headerId === "string" && /^[\w.-]{1,100}$/.test(headerId) ? headerId : crypto.randomUUID();
    const admitted = admit(req, options, requestId);
    if (!admitted.ok) return refuse(socket, admitted.code, admitted.message, requestId, admitted.field);
    wss.handleUpgrade(req, socket, head, (ws) => {
      const fields = { name: admitted.prepared.name, session: admitted.session, requestId };
      const started = Date.now();
      const relay = new ConsoleRelay(ws, options.pingMs ?? 30_000);
      try {
        const session = startConsole(options.paths, admitted.prepared, admitted, {
          onOutput: (data) => relay.send({ type: "output", data }),
          onEnd: (end) => {
            log("info", "console ended", { ...fields, reason: end.reason, code: end.code, seconds: Math.round((Date.now() - started) / 1000) });
            relay.finish({ type: "exit", ...end });
          },
        });
        relay.send({ type: "ready" });
        relay.attach(session);
        log("info", "console opened", { ...fields, pid: session.pid });
      } catch (error) {
        log("error", "console start failed", { ...fields, error: String((error as Error)?.message ?? error) });
        relay.finish({ type: "exit", reason: "failed", code: null, message: error instanceof AgentFailure ? error.message : "internal agent error" }, 1011);
      }
    });
  };
  server.on("upgrade", onUpgrade);
  return {
    close() {
      server.off("upgrade", onUpgrade);
      for (const ws of wss.clients) ws.terminate();
      wss.close();
    },
  };
}
