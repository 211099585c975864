/**
 * socket.io on the panel's HTTP server: live job progress, server state and consoles.
 * Every socket is authenticated from the next-auth session cookie in the handshake.
 */
import type http from "node:http";
import { Server } from "socket.io";
import { getToken } from "next-auth/jwt";
import { panelSecret } from "@/lib/env";

/** Parses a Cookie header into an object (next-auth's getToken expects one). */
export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? "").split(";")) {
    const i = part.indexOf("=");
    if (i > 0) out[part.slice(0, i).trim()] = decodeURIComponent(part.slice(i + 1).trim());
  }
  return out;
}

/** Attaches socket.io to the server and returns it. */
export function attachRealtime(server: http.Server): Server {
  const io = new Server(server, { serveClient: false, maxHttpBufferSize: 1e6 });
  io.use((socket, nextFn) => {
    const req = socket.request;
    getToken({ req: { headers: req.headers, cookies: parseCookies(req.headers.cookie) } as never, secret: panelSecret() })
      .then((token) => {
        if (!token?.uid || token.revoked) return nextFn(new Error("unauthorized"));
        socket.data.userId = token.uid;
        socket.data.role = token.role;
        nextFn();
      })
      .catch(() => nextFn(new Error("unauthorized")));
  });
  return io;
}
