/**
 * Validation of the addresses the panel assigns to a vserver. Everything that reaches
 * `ip`, `nft` or a state file has been through here, so it is canonical text and a
 * usable unicast address: a typo or a crafted body becomes a BAD_REQUEST naming the
 * field, never a half-configured server.
 */
import { AgentFailure, badInput } from "../../errors";
import { formatIPv4, formatIPv6, hostBits, parseIPv4, parseIPv6, samePrefix } from "@/lib/net/ip-text";
import type { InterfaceAddress as WireInterfaceAddress } from "@/lib/protocol/names";

/** 4 for IPv4, 6 for IPv6. */
export type IpFamily = 4 | 6;

/** One parsed, canonical address. */
export interface IpAddress {
  family: IpFamily;
  /** Canonical text: dotted quad, or RFC 5952 for IPv6. */
  address: string;
  bytes: Uint8Array;
}

/** An address as assigned to an interface, canonical: the wire contract's, with its family. */
export type InterfaceAddress = WireInterfaceAddress & { family: IpFamily };

/** The wire shape of an assigned address (`family` may be given; it is otherwise inferred). */
export type InterfaceAddressInput = WireInterfaceAddress & { family?: IpFamily | "inet" | "inet6" | "ipv4" | "ipv6" };

/** Ranges no vserver may own: [bytes of the network, prefix, why]. */
const reserved4: [string, number, string][] = [
  ["0.0.0.0", 8, "is in 0.0.0.0/8 (this network)"],
  ["127.0.0.0", 8, "is a loopback address"],
  ["169.254.0.0", 16, "is link-local (169.254.0.0/16 is the host side's next hop)"],
  ["224.0.0.0", 4, "is a multicast address"],
  ["240.0.0.0", 4, "is reserved (240.0.0.0/4)"],
];
const reserved6: [string, number, string][] = [
  ["::", 128, "is the unspecified address"],
  ["::1", 128, "is the loopback address"],
  ["::ffff:0:0", 96, "is an IPv4-mapped address; assign the IPv4 address instead"],
  ["fe80::", 10, "is link-local (the link-local address is derived from the MAC)"],
  ["ff00::", 8, "is a multicast address"],
];

/** Parses either family; `null` when the text is neither. */
export function parseIp(text: string): IpAddress | null {
  const v4 = parseIPv4(text);
  if (v4) return { family: 4, address: formatIPv4(v4), bytes: v4 };
  const v6 = parseIPv6(text);
  if (v6) return { family: 6, address: formatIPv6(v6), bytes: v6 };
  return null;
}

/** Parses an address of either family or throws BAD_REQUEST naming `field`. */
export function parseIpOrThrow(value: unknown, field: string, family?: IpFamily): IpAddress {
  if (typeof value !== "string") throw badInput(field, "must be an IP address as a string");
  const parsed = parseIp(value.trim());
  if (!parsed) throw badInput(field, `"${value}" is not an IPv4 or IPv6 address`);
  if (family && parsed.family !== family) {
    throw badInput(field, `"${value}" is not an IPv${family} address`);
  }
  return parsed;
}

function familyOf(value: unknown, field: string): IpFamily | undefined {
  if (value === undefined) return undefined;
  if (value === 4 || value === "inet" || value === "ipv4") return 4;
  if (value === 6 || value === "inet6" || value === "ipv6") return 6;
  throw badInput(field, `must be 4, 6, "inet" or "inet6", got ${JSON.stringify(value)}`);
}

function reservedReason(ip: IpAddress): string | null {
  for (const [net, prefix, why] of ip.family === 4 ? reserved4 : reserved6) {
    const netBytes = (ip.family === 4 ? parseIPv4(net) : parseIPv6(net))!;
    if (samePrefix(ip.bytes, netBytes, prefix)) return why;
  }
  if (ip.family === 4 && ip.address === "255.255.255.255") return "is the broadcast address";
  return null;
}

/**
 * Validates one assigned address: a unicast address of the stated family, a prefix in
 * range, and not the network or broadcast address of its own prefix (IPv4 up to /30) nor
 * the subnet-router anycast address (IPv6 up to /126): those collide with what routers
 * and neighbours expect on that subnet.
 */
export function parseInterfaceAddress(input: unknown, field: string): InterfaceAddress {
  if (typeof input !== "object" || input === null) {
    throw badInput(field, "must be an object { address, prefix, family? }");
  }
  const record = input as Record<string, unknown>;
  const family = familyOf(record.family, `${field}.family`);
  const ip = parseIpOrThrow(record.address, `${field}.address`, family);
  const max = ip.family === 4 ? 32 : 128;
  const prefix = record.prefix;
  if (typeof prefix !== "number" || !Number.isInteger(prefix) || prefix < 1 || prefix > max) {
    throw badInput(`${field}.prefix`, `must be an integer from 1 to ${max} for IPv${ip.family}`);
  }
  const why = reservedReason(ip);
  if (why) throw badInput(`${field}.address`, `${ip.address} ${why}`);
  const bits = hostBits(ip.bytes, prefix);
  if (ip.family === 4 && prefix <= 30 && bits !== "mixed") {
    const what = bits === "zeros" ? "network" : "broadcast";
    throw badInput(`${field}.address`, `${ip.address} is the ${what} address of /${prefix}`);
  }
  if (ip.family === 6 && prefix <= 126 && bits === "zeros") {
    throw badInput(`${field}.address`, `${ip.address} is the subnet-router anycast address of /${prefix}`);
  }
  return { family: ip.family, address: ip.address, prefix };
}

/**
 * Parses "ADDR/PREFIX" as typed on a command line (`chbind --ip 10.0.0.2/24`). Without a
 * prefix the address is a host address (/32 or /128), as in util-vserver.
 */
export function parseCidr(text: string, field: string): InterfaceAddress {
  const [address = "", prefixText, extra] = text.trim().split("/");
  if (extra !== undefined) throw badInput(field, `"${text}" has more than one "/"`);
  const ip = parseIp(address);
  let prefix: number = ip?.family === 6 ? 128 : 32;
  if (prefixText !== undefined) {
    if (!/^\d{1,3}$/.test(prefixText)) throw badInput(field, `"${prefixText}" is not a prefix length`);
    prefix = Number(prefixText);
  }
  try {
    return parseInterfaceAddress({ address, prefix }, field);
  } catch (error) {
    // One text, one field: "ip: ..." rather than "ip.address: ...".
    if (error instanceof AgentFailure && error.field?.startsWith(`${field}.`)) {
      throw badInput(field, error.message.slice(error.field.length + 2));
    }
    throw error;
  }
}

/** Parses a list of assigned addresses and refuses duplicates (same address, any prefix). */
export function parseInterfaceAddresses(input: unknown, field: string): InterfaceAddress[] {
  if (!Array.isArray(input)) throw badInput(field, "must be an array of { address, prefix, family? }");
  if (input.length > 256) throw badInput(field, "at most 256 addresses per server");
  const seen = new Set<string>();
  return input.map((item, i) => {
    const parsed = parseInterfaceAddress(item, `${field}[${i}]`);
    if (seen.has(parsed.address)) throw badInput(`${field}[${i}].address`, `${parsed.address} is listed twice`);
    seen.add(parsed.address);
    return parsed;
  });
}

/** "address/prefix" as `ip addr` takes it. */
export function cidrText(a: InterfaceAddress): string {
  return `${a.address}/${a.prefix}`;
}
