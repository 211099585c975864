/**
 * The origin (scheme://host[:port]) a request was made to, as the browser saw it: the
 * Host header over plain HTTP (the panel's own server speaks only HTTP), or, when
 * TRUST_PROXY=1 (behind the project's nginx, which terminates TLS), the scheme and host
 * the proxy forwards (X-Forwarded-Proto, X-Forwarded-Host). Without TRUST_PROXY those
 * headers are a client's word and are ignored, as X-Forwarded-For is (client-ip.ts).
 * Used wherever the panel must name or recognize its own address: the socket.io origin
 * rule, next-auth's redirects, the OpenAPI document's server URL.
 */

/** Request headers in either shape the panel meets (Web `Headers` or Node's). */
export type HeaderSource = Headers | Record<string, string | string[] | undefined>;

function header(headers: HeaderSource, name: string): string | undefined {
  const value = headers instanceof Headers ? (headers.get(name) ?? undefined) : headers[name];
  const first = Array.isArray(value) ? value[0] : value;
  // A proxy chain appends: the first entry is what the client asked for.
  return first?.split(",")[0]?.trim() || undefined;
}

/**
 * `host[:port]` when `raw` is a plain host and port, else null: no path, user info,
 * query or anything else a URL parser would silently accept around a host.
 */
function cleanHost(raw: string): string | null {
  if (raw.length > 255 || !/^[A-Za-z0-9.\-[\]:]+$/.test(raw)) return null;
  return URL.canParse(`http://${raw}/`) ? raw.toLowerCase() : null;
}

/** The request's own origin, or null when it has no usable Host. */
export function requestOrigin(headers: HeaderSource, env: Readonly<Record<string, string | undefined>> = process.env): string | null {
  const trusted = env.TRUST_PROXY === "1";
  const forwardedProto = trusted ? header(headers, "x-forwarded-proto")?.toLowerCase() : undefined;
  const scheme = forwardedProto === "https" || forwardedProto === "http" ? forwardedProto : "http";
  const rawHost = (trusted ? header(headers, "x-forwarded-host") : undefined) ?? header(headers, "host");
  const host = rawHost ? cleanHost(rawHost) : null;
  if (!host) return null;
  // URL drops a scheme's default port (http://a:80 → http://a), as browsers do in Origin.
  return new URL(`${scheme}://${host}`).origin;
}

/** The origin of a URL string, or null when it is not an absolute http(s) URL. */
export function originOf(url: string | undefined | null): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url.trim());
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.origin : null;
  } catch {
    return null;
  }
}

/**
 * The panel's origin for links and redirects in the answer to this request: the one
 * the browser used, in NEXTAUTH_URL's scheme when it names the same host (the operator
 * said how the public name is served: https behind a proxy without TRUST_PROXY), else
 * NEXTAUTH_URL's origin when the request names no usable host.
 */
export function panelOrigin(headers: HeaderSource, env: Readonly<Record<string, string | undefined>> = process.env): string | null {
  const own = requestOrigin(headers, env);
  const configured = originOf(env.NEXTAUTH_URL);
  if (!own) return configured;
  if (configured && new URL(configured).host === new URL(own).host) return configured;
  return own;
}

