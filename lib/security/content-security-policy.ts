/**
 * The browser-side limits the panel sends with its pages. A Content-Security-Policy
 * that fits a Next.js App Router build: scripts only with the request's nonce (Next puts
 * it on its own inline and chunk scripts) and what those load ('strict-dynamic'), no
 * eval outside development; styles from the panel plus inline ones (xterm and React set
 * element styles and xterm adds style elements at run time, which carry no nonce);
 * connections only to the panel (fetch, server actions, socket.io over WebSocket); no
 * plugins, frames, <base> or foreign form targets. And a Permissions-Policy: no page of
 * the panel may read the clipboard (the console never needs to; paste is the browser's
 * paste event), writing stays with the panel's own copy buttons, no devices.
 * Pure strings: used by proxy.ts (per request) and next.config.ts.
 */

/** The Content-Security-Policy of a page rendered with `nonce`. */
export function contentSecurityPolicy(nonce: string, options: { dev?: boolean } = {}): string {
  if (!/^[A-Za-z0-9+/=_-]{16,}$/.test(nonce)) throw new Error("a CSP nonce must be at least 16 base64 characters");
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${options.dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "manifest-src 'self'",
    "frame-src 'none'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** A fresh nonce: 128 random bits, base64. */
export function newCspNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

/** The Permissions-Policy of every response. */
export const permissionsPolicy = "clipboard-read=(), clipboard-write=(self), camera=(), microphone=(), geolocation=(), payment=(), usb=()";
