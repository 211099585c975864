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
