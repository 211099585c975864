/**
 * socket.io on the panel's HTTP server: live job progress, server state and consoles.
 * Every socket is authenticated from the next-auth session cookie in the handshake;
 * every message is parsed against the union in lib/protocol/realtime.
 */
import type http from "node:http";
import { Server } from "socket.io";
import { getToken } from "next-auth/jwt";
import { db } from "@/lib/db/client";
import { panelSecret } from "@/lib/env";
import { isRole } from "@/lib/auth/roles";
import { requestClientIp } from "@/lib/auth/client-ip";
import { clientMessage, realtimeEvent } from "@/lib/protocol/realtime";
import { forbiddenOrigin, unauthorizedSocket } from "@/lib/protocol/realtime-refusals";
import type { Actor } from "@/lib/server/actor";
import { liveSession } from "@/lib/auth/session-state";
import { listedOrigins, originRefusal } from "./allowed-origin";
import { guardSocketSessions } from "./session-guard";
import { processChangeHub } from "./changes/process-hub";
import { SocketWatches } from "./watchers";

/** Parses a Cookie header into an object (next-auth's getToken expects one). */
export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? "").split(";")) {
    const i = part.indexOf("=");
    if (i > 0) out[part.slice(0, i).trim()] = decodeURIComponent(part.slice(i + 1).trim());
  }
  return out;
}

/** Extra per-message handlers (the console registers its own). */
export type MessageHook = (socket: import("socket.io").Socket, actor: Actor, msg: import("@/lib/protocol/realtime").ClientMessage) => boolean | Promise<boolean>;

const hooks: MessageHook[] = [];

/** Registers a handler for messages the watchers do not handle (returns true when handled). */
export function onRealtimeMessage(hook: MessageHook): void {
  hooks.push(hook);
}

/** Attaches socket.io to the server and returns it. */
export function attachRealtime(server: http.Server): Server {
  // A mistyped PANEL_ALLOWED_ORIGINS stops the start here, naming the entry.
  listedOrigins();
  const io = new Server(server, { serveClient: false, maxHttpBufferSize: 1e6 });
  io.use((socket, nextFn) => {
    const req = socket.request;
    // Cookie-authenticated, so only the panel's own pages may open a socket (CSWSH).
    // The reason goes to the page, which shows it (components/jobs/realtime-status).
    const refusal = originRefusal(req.headers);
    if (refusal) return nextFn(new Error(`${forbiddenOrigin}: ${refusal}`));
    getToken({ req: { headers: req.headers, cookies: parseCookies(req.headers.cookie) } as never, secret: panelSecret() })
      .then(async (token) => {
        if (!token?.uid || token.revoked || !isRole(token.role)) return nextFn(new Error(unauthorizedSocket));
        // The same check as every page request: revoked, expired or held at 2FA enrollment is refused.
        const live = await liveSession(db(), token);
        if (!live || live.twoFactor !== "ok") return nextFn(new Error(unauthorizedSocket));
        const ip = requestClientIp(req);
        const actor: Actor = { userId: token.uid, role: live.role, via: "session", ip, userAgent: req.headers["user-agent"] ?? null };
        socket.data.actor = actor;
        socket.data.claims = { uid: token.uid, sv: token.sv, loginAt: token.loginAt };
        nextFn();
      })
      .catch(() => nextFn(new Error(unauthorizedSocket)));
  });
  const stopGuard = guardSocketSessions(io, db());
  server.on("close", stopGuard);
  io.on("connection", (socket) => {
    const actor = socket.data.actor as Actor;
    const watches = new SocketWatches(socket, db(), actor, processChangeHub(db()));
    socket.on("disconnect", () => watches.dispose());
    socket.on(realtimeEvent, async (raw: unknown) => {
      const parsed = clientMessage.safeParse(raw);
      if (!parsed.success) {
        socket.emit(realtimeEvent, { type: "error", message: "malformed message" });
        return;
      }
      const msg = parsed.data;
      switch (msg.type) {
        case "job.watch":
          return watches.watchJob(msg.jobId, msg.sinceSeq);
        case "job.unwatch":
          return watches.unwatchJob(msg.jobId);
        case "server.watch":
          return watches.watchServer(msg.serverId);
        case "server.unwatch":
          return watches.unwatchServer(msg.serverId);
        case "servers.watch":
          return watches.watchServers(msg.serverIds);
        default:
          for (const hook of hooks) if (await hook(socket, actor, msg)) return;
          socket.emit(realtimeEvent, { type: "error", message: `unsupported message ${msg.type}` });
      }
    });
  });
  return io;
}
