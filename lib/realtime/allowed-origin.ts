/**
 * Cross-site WebSocket hijacking guard for socket.io. Its sockets authenticate by the
 * session cookie, and browsers send that cookie on a WebSocket opened by any site, so
 * the handshake must come from a page of the panel itself. The panel answers on every
 * name it is reached by (localhost, 127.0.0.1, the machine's addresses, the public
 * name), so a page is the panel's when its Origin is the request's own origin (the Host
 * it came to, scheme and host from the proxy with TRUST_PROXY=1: lib/auth/request-origin),
 * or NEXTAUTH_URL's, or one listed in PANEL_ALLOWED_ORIGINS. A page of another site
 * cannot pass the first rule: its browser sends the panel's Host with the other site's
 * Origin. (A DNS-rebound name passes it, but then the browser holds no session cookie
 * for that name.) A request without Origin is not from a page of another site (browsers
 * send Origin with every WebSocket and every cross-origin request); one a browser marks
 * cross-site or same-site by Sec-Fetch-Site is refused unless its origin is listed.
 */
import type http from "node:http";
import { originOf, requestOrigin } from "@/lib/auth/request-origin";

/** The settings the rule reads (process.env by default). */
export type OriginSettings = {
  NEXTAUTH_URL?: string;
  PANEL_ALLOWED_ORIGINS?: string;
  TRUST_PROXY?: string;
};

/**
 * The origins an operator listed in PANEL_ALLOWED_ORIGINS (separated by commas or
 * spaces). Throws, naming the variable and the entry, on anything that is not a bare
 * origin such as `https://panel.example.com`: a typo must fail the start, not every socket.
 */
export function listedOrigins(env: OriginSettings = process.env): string[] {
  const out: string[] = [];
  for (const entry of (env.PANEL_ALLOWED_ORIGINS ?? "").split(/[\s,]+/).filter(Boolean)) {
    const origin = originOf(entry);
    const url = origin ? new URL(entry) : null;
    if (!origin || !url || url.pathname !== "/" || url.search || url.hash || url.username || url.password) {
      throw new Error(`PANEL_ALLOWED_ORIGINS: "${entry}" is not an origin (scheme://host[:port], no path), e.g. https://panel.example.com`);
    }
    out.push(origin);
  }
  return out;
}

/** The origins a socket.io handshake with these headers may come from. */
export function allowedOrigins(headers: http.IncomingHttpHeaders, env: OriginSettings = process.env): string[] {
  const own = requestOrigin(headers, env);
  const configured = originOf(env.NEXTAUTH_URL);
  return [...new Set([own, configured, ...listedOrigins(env)].filter((o): o is string => o !== null))];
}

/** Why a handshake is refused (said to the browser), or null when it comes from a page of the panel. */
export function originRefusal(headers: http.IncomingHttpHeaders, env: OriginSettings = process.env): string | null {
  const origin = headers.origin;
  if (typeof origin === "string" && listedOrigins(env).includes(origin)) return null;
  const fetchSite = headers["sec-fetch-site"];
  if (fetchSite === "cross-site" || fetchSite === "same-site") return `a ${fetchSite} request from ${String(origin ?? "a page of another site")}`;
  if (origin === undefined) return null;
  if (typeof origin !== "string" || !allowedOrigins(headers, env).includes(origin)) {
    return `${String(origin)} is not an address of this panel (it answers at ${requestOrigin(headers, env) ?? "no address this request named"}; list other origins in PANEL_ALLOWED_ORIGINS)`;
  }
  return null;
}
