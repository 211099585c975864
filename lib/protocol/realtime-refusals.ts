/**
 * Why the panel refuses a socket.io handshake: the message of the `connect_error` the
 * browser receives starts with one of these codes, then ": " and a reason meant for a
 * person. The page shows both (components/jobs/realtime-status) and retries.
 */

/** The page's origin is not an address of the panel (lib/realtime/allowed-origin). */
export const forbiddenOrigin = "forbidden origin";

/** No live session: signed out, expired, revoked, or held at two-factor enrollment. */
export const unauthorizedSocket = "unauthorized";

/** The refusal codes. */
export type RealtimeRefusal = typeof forbiddenOrigin | typeof unauthorizedSocket;

/** The code and reason of a refusal message, or null when the message is not a refusal (a network error). */
export function parseRefusal(message: string): { code: RealtimeRefusal; reason: string } | null {
  for (const code of [forbiddenOrigin, unauthorizedSocket] as const) {
    if (message === code) return { code, reason: "" };
    if (message.startsWith(`${code}: `)) return { code, reason: message.slice(code.length + 2) };
  }
  return null;
}
