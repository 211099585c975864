/**
 * Routed IPv6 prefixes. A pool can give a server a whole prefix (a /64 per server); the
 * panel configures it as the prefix's first address with the prefix's length, `P::1/64`
 * (lib/server/jobs/handlers/server-row.ts). In routed mode such an interface address
 * means the server owns the whole prefix:
 * - the host routes the prefix to the server, via the server's link-local address, so
 *   the host never needs a neighbour entry per address the guest uses inside it;
 * - the anti-spoofing table lets the server send from any address inside it;
 * - no other server may hold an address inside it (and it may not cover another's).
 * Any other address, and every address in bridge mode, is exactly that one address. The
 * rule is only as unambiguous as the panel's pools: a single-address pool wider than /64
 * whose `::1` is handed out as an address would look like a routed prefix, and then a
 * neighbour inside it is refused as a CONFLICT rather than silently exposed.
 */
import { formatIPv6, hostBits, parseIPv4, parseIPv6, samePrefix } from "@/lib/net/ip-text";

/** The longest prefix that counts as routed (a /64 is what SLAAC-style guests need). */
export const MAX_ROUTED_PREFIX = 64;

/** One address as the agent sees it. */
export interface AddressLike {
  family: 4 | 6;
  address: string;
  prefix: number;
}

/** Routed or bridge (only the kind matters here). */
export interface ModeLike {
  kind: "routed" | "bridge";
}

/** True when `a`'s host bits are exactly 1 (the prefix's first address). */
function isFirstAddress(bytes: Uint8Array, prefix: number): boolean {
  if (bytes[15] !== 1) return false;
  const copy = Uint8Array.from(bytes);
  copy[15] = 0;
  return hostBits(copy, prefix) === "zeros";
}

/** The prefix `a` stands for ("2001:db8:1::/64"), or null when it is a single address. */
export function routedPrefixOf(mode: ModeLike, a: AddressLike): string | null {
  if (mode.kind !== "routed" || a.family !== 6 || a.prefix > MAX_ROUTED_PREFIX) return null;
  const bytes = parseIPv6(a.address);
  if (!bytes || !isFirstAddress(bytes, a.prefix)) return null;
  bytes[15] = 0;
  return `${formatIPv6(bytes)}/${a.prefix}`;
}

/** What a server claims: an address (`len` 32/128) or a routed prefix. */
export interface Claim {
  family: 4 | 6;
  bytes: Uint8Array;
  len: number;
  /** As written in messages: "10.0.0.2" or "2001:db8:1::/64". */
  text: string;
}

/** The claim of one assigned address under `mode`. */
export function claimOf(mode: ModeLike, a: AddressLike): Claim {
  const routed = routedPrefixOf(mode, a);
  const bytes = (a.family === 4 ? parseIPv4(a.address) : parseIPv6(a.address)) ?? new Uint8Array(a.family === 4 ? 4 : 16);
  if (routed) return { family: 6, bytes, len: a.prefix, text: routed };
  return { family: a.family, bytes, len: a.family === 4 ? 32 : 128, text: a.address };
}

/** Whether two claims share any address. */
export function claimsOverlap(x: Claim, y: Claim): boolean {
  return x.family === y.family && samePrefix(x.bytes, y.bytes, Math.min(x.len, y.len));
}
