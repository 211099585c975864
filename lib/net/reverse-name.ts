/**
 * Reverse-DNS names of addresses and networks (RFC 1035 in-addr.arpa, RFC 3596 ip6.arpa
 * nibbles), pure: which name a PTR record of an address has, and at which boundary a
 * pool's reverse zones are cut. Users type addresses; the nibble form is ours to compute.
 */
import { contains, formatAddress, type Network } from "./cidr";

/** The PTR owner name of an address (with the trailing dot PowerDNS wants). */
export function ptrNameOf(family: 4 | 6, value: bigint): string {
  if (family === 4) {
    const octets = [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 0xffn));
    return `${octets.reverse().join(".")}.in-addr.arpa.`;
  }
  const nibbles: string[] = [];
  for (let i = 0n; i < 32n; i++) nibbles.push(((value >> (i * 4n)) & 0xfn).toString(16));
  return `${nibbles.join(".")}.ip6.arpa.`;
}

/** The address a PTR owner name stands for, or null for a name that is not a full one. */
export function addressOfPtrName(name: string): { family: 4 | 6; value: bigint } | null {
  const n = name.toLowerCase().replace(/\.$/, "");
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.in-addr\.arpa$/.exec(n);
  if (v4) {
    const octets = v4.slice(1).map(Number).reverse();
    if (octets.some((o) => o > 255)) return null;
    return { family: 4, value: octets.reduce((acc, o) => (acc << 8n) | BigInt(o), 0n) };
  }
  const v6 = /^((?:[0-9a-f]\.){32})ip6\.arpa$/.exec(n);
  if (!v6) return null;
  const nibbles = v6[1]!.split(".").filter(Boolean).reverse();
  return { family: 6, value: nibbles.reduce((acc, x) => (acc << 4n) | BigInt(parseInt(x, 16)), 0n) };
}

/** The zone name covering the first `prefix` bits of `base` (prefix a multiple of 8 for IPv4, of 4 for IPv6). */
function zoneName(family: 4 | 6, base: bigint, prefix: number): string {
  const labels = ptrNameOf(family, base).split(".");
  const per = family === 4 ? 8 : 4;
  const hostLabels = (family === 4 ? 4 : 32) - prefix / per;
  return labels.slice(hostLabels).join(".");
}

/**
 * The prefix length at which a network's reverse zones are cut: the next label boundary
 * at or below the network (octets for IPv4, nibbles for IPv6). An IPv4 network smaller
 * than a /24 gets its enclosing /24 zone (several small pools share it; see
 * docs/reverse-dns.md for why not RFC 2317 slices).
 */
export function reverseZonePrefix(n: Network): number {
  const per = n.family === 4 ? 8 : 4;
  const cut = Math.max(per, Math.ceil(n.prefix / per) * per);
  return n.family === 4 ? Math.min(cut, 24) : cut;
}

/**
 * A guard on how many zones one pool may make. The cut never needs more than 128 (a /17 is
 * 128 /24 zones, a /9 128 /16 zones; IPv6 at most 8), so this only stops a bug from flooding
 * PowerDNS.
 */
export const maxZonesPerPool = 256;

/** The reverse zones (names with a trailing dot) that together cover a network; null when that takes more than {@link maxZonesPerPool}. */
export function reverseZonesOf(n: Network): string[] | null {
  const cut = reverseZonePrefix(n);
  const count = cut > n.prefix ? 1n << BigInt(cut - n.prefix) : 1n;
  if (count > BigInt(maxZonesPerPool)) return null;
  const step = 1n << BigInt(n.bits - cut);
  const mask = ~(step - 1n);
  const first = n.base & mask;
  const zones: string[] = [];
  for (let i = 0n; i < count; i++) zones.push(zoneName(n.family, first + i * step, cut));
  return zones;
}

/** The reverse zone of the pool `pool` that holds address `value`. */
export function reverseZoneOfAddress(pool: Network, value: bigint): string {
  const cut = reverseZonePrefix(pool);
  const step = 1n << BigInt(pool.bits - cut);
  return zoneName(pool.family, value & ~(step - 1n), cut);
}

/** Whether a PTR owner name stands for an address inside `n`. */
export function ptrNameInside(n: Network, name: string): boolean {
  const a = addressOfPtrName(name);
  return a !== null && a.family === n.family && contains(n, a.value);
}

/** The canonical text of the address a PTR owner name stands for (for showing), or null. */
export function addressTextOfPtrName(name: string): string | null {
  const a = addressOfPtrName(name);
  return a ? formatAddress(a.family, a.value) : null;
}
