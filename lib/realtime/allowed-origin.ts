/**
 * Cross-site WebSocket hijacking guard for socket.io. Its sockets authenticate by the
 * session cookie, and browsers send that cookie on a WebSocket opened by any site, so
 * the handshake must come from the panel's own origin: NEXTAUTH_URL's (where the panel
 * is served), or — when that is not set — the origin of the Host the request came to.
 * A request without Origin is not from a page of another site (browsers send Origin
 * with every WebSocket and every cross-origin request); one that says by Sec-Fetch-Site
 * that it is cross-site is refused all the same.
 */
import type http from "node:http";

function originOf(url: string | undefined): string | null {
  if (!url) return null;
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/** The origins a socket.io handshake may come from. */
export function allowedOrigins(headers: http.IncomingHttpHeaders, env: { NEXTAUTH_URL?: string } = process.env): string[] {
  const configured = originOf(env.NEXTAUTH_URL?.trim());
  if (configured) return [configured];
  const host = typeof headers.host === "string" ? headers.host : null;
  return host ? [`http://${host}`, `https://${host}`] : [];
}

/** Why a handshake is refused, or null when its origin is the panel's own. */
export function originRefusal(headers: http.IncomingHttpHeaders, env: { NEXTAUTH_URL?: string } = process.env): string | null {
  const fetchSite = headers["sec-fetch-site"];
  if (fetchSite === "cross-site" || fetchSite === "same-site") return `a ${fetchSite} request`;
  const origin = headers.origin;
  if (origin === undefined) return null;
  if (typeof origin !== "string" || !allowedOrigins(headers, env).includes(origin)) return `origin ${String(origin)} is not the panel's`;
  return null;
}
