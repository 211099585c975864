/**
 * The client address of a request. The custom server (server.ts) overwrites the
 * `x-vsp-client-ip` header with the socket's address (or the first X-Forwarded-For hop
 * when TRUST_PROXY=1), so application code never trusts a header a client could set.
 */

/** Header set by server.ts. */
export const clientIpHeader = "x-vsp-client-ip";

/** Reads the client address from request headers (any header shape). */
export function clientIpFrom(headers: Headers | Record<string, string | string[] | undefined> | undefined): string | null {
  if (!headers) return null;
  const value = headers instanceof Headers ? headers.get(clientIpHeader) : headers[clientIpHeader];
  const first = Array.isArray(value) ? value[0] : value;
  return first && first.length <= 64 ? first : null;
}

/**
 * The client address of a raw Node request: the socket's peer, or the first
 * X-Forwarded-For hop when TRUST_PROXY=1 (behind the project's nginx). Used by server.ts
 * to stamp page requests and by socket.io handshakes, which never pass server.ts's
 * handler (so a client-sent `x-vsp-client-ip` there is never trusted).
 */
export function requestClientIp(req: { headers: Record<string, string | string[] | undefined>; socket?: { remoteAddress?: string } }, env: NodeJS.ProcessEnv = process.env): string | null {
  const forwarded = req.headers["x-forwarded-for"];
  if (env.TRUST_PROXY === "1" && typeof forwarded === "string" && forwarded) return forwarded.split(",")[0]!.trim().slice(0, 64) || null;
  const peer = req.socket?.remoteAddress;
  return peer ? peer.replace(/^::ffff:/, "") : null;
}
