/**
 * The address a socket.io client connects from, computed like server.ts does for page
 * requests (the socket's peer, or the first X-Forwarded-For hop when TRUST_PROXY=1).
 * socket.io's own requests never pass server.ts's handler, so the `x-vsp-client-ip`
 * header in a handshake is whatever the client sent: it is not used here.
 */
import type { IncomingMessage } from "node:http";

/** The client address of a handshake request, or null. */
export function socketClientIp(req: IncomingMessage, env: NodeJS.ProcessEnv = process.env): string | null {
  const forwarded = req.headers["x-forwarded-for"];
  if (env.TRUST_PROXY === "1" && typeof forwarded === "string" && forwarded) return forwarded.split(",")[0]!.trim().slice(0, 64) || null;
  const peer = req.socket?.remoteAddress;
  return peer ? peer.replace(/^::ffff:/, "") : null;
}
