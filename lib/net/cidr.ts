/**
 * IP networks as numbers: parse a CIDR, test membership, and walk the blocks a pool
 * hands out. BigInt arithmetic so IPv6 (/48 of /64s) works the same as IPv4.
 */
import { formatIPv4, formatIPv6, parseIPv4, parseIPv6 } from "./ip-text";

/** A parsed network. */
export interface Network {
  family: 4 | 6;
  /** First address (host bits cleared). */
  base: bigint;
  prefix: number;
  bits: 32 | 128;
}

function toBigInt(bytes: Uint8Array): bigint {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  return n;
}

function toBytes(n: bigint, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = length - 1; i >= 0; i--) {
    out[i] = Number(n & 0xffn);
    n >>= 8n;
  }
  return out;
}

/** Parses an address into family and number, or null. */
export function parseAddress(text: string): { family: 4 | 6; value: bigint } | null {
  const v4 = parseIPv4(text.trim());
  if (v4) return { family: 4, value: toBigInt(v4) };
  const v6 = parseIPv6(text.trim());
  if (v6) return { family: 6, value: toBigInt(v6) };
  return null;
}

/** Canonical text of an address number. */
export function formatAddress(family: 4 | 6, value: bigint): string {
  return family === 4 ? formatIPv4(toBytes(value, 4)) : formatIPv6(toBytes(value, 16));
}

/** Canonical text of an address, or null when it is not one. */
export function canonicalAddress(text: string): string | null {
  const a = parseAddress(text);
  return a ? formatAddress(a.family, a.value) : null;
}

/** Parses `addr/prefix`; the host bits must be zero. Returns an error text instead of throwing. */
export function parseNetwork(text: string): Network | string {
  const [addr, len, extra] = text.trim().split("/");
  if (!addr || len === undefined || extra !== undefined || !/^\d{1,3}$/.test(len)) return "must look like 192.0.2.0/24 or 2001:db8::/48";
  const a = parseAddress(addr);
  if (!a) return "is not a valid address";
  const bits = a.family === 4 ? 32 : 128;
  const prefix = Number(len);
  if (prefix > bits) return `prefix must be at most ${bits}`;
  const hostMask = (1n << BigInt(bits - prefix)) - 1n;
  if ((a.value & hostMask) !== 0n) return `has host bits set (the network is ${formatAddress(a.family, a.value & ~hostMask)}/${prefix})`;
  return { family: a.family, base: a.value, prefix, bits };
}

/** Canonical text of a network. */
export function formatNetwork(n: Network): string {
  return `${formatAddress(n.family, n.base)}/${n.prefix}`;
}

/** Number of addresses in the network. */
export function networkSize(n: Network): bigint {
  return 1n << BigInt(n.bits - n.prefix);
}

/** True if the address number lies inside the network. */
export function contains(n: Network, value: bigint): boolean {
  return value >= n.base && value < n.base + networkSize(n);
}

/**
 * How many blocks of `/assignPrefix` the pool can hand out, without the IPv4 network and
 * broadcast addresses (for single-address pools larger than /31) and without excluded ones.
 */
export function assignableCount(n: Network, assignPrefix: number, excluded: number): bigint {
  const blocks = 1n << BigInt(assignPrefix - n.prefix);
  const edges = (n.family === 4 && assignPrefix === 32 && n.prefix < 31) || (n.family === 6 && assignPrefix === 128 && n.prefix < 127) ? 2n : 0n;
  const total = blocks - edges - BigInt(excluded);
  return total > 0n ? total : 0n;
}

/**
 * Walks the blocks of a pool from the start, skipping IPv4 network/broadcast, IPv6's
 * subnet-router anycast (`P::`) and `P::1` in single-address pools (`P::1/len` is how a
 * routed prefix is configured, so a single address must never look like one), and the
 * `skip` set (canonical texts), yielding each candidate's canonical text.
 */
export function* candidates(n: Network, assignPrefix: number, skip: Set<string>): Generator<string> {
  const step = 1n << BigInt(n.bits - assignPrefix);
  const end = n.base + networkSize(n);
  const edges = n.family === 4 && assignPrefix === 32 && n.prefix < 31;
  const v6Singles = n.family === 6 && assignPrefix === 128 && n.prefix < 127;
  for (let v = n.base; v < end; v += step) {
    if (edges && (v === n.base || v === end - 1n)) continue;
    if (v6Singles && (v === n.base || v === n.base + 1n)) continue;
    const text = formatAddress(n.family, v);
    if (!skip.has(text)) yield text;
  }
}
