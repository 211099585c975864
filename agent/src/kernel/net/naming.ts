/**
 * Names and identities derived from the context id, so that a restarted agent can find
 * every device and table of a server from the ctx alone (and an orphan from its name).
 * Interface names must fit IFNAMSIZ (15 chars): "vsh65535" is 8.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { hostname } from "node:os";
import { badInput } from "../../errors";
import { formatIPv6 } from "@/lib/net/ip-text";

/** Lowest ctx: util-vserver reserves 0 (host) and 1 (spectator). */
export const MIN_CTX = 2;
/** Highest ctx: 16 bits, so it fits the MAC and the names. */
export const MAX_CTX = 65535;

/** The guest side's interface name inside the server. */
export const GUEST_IFNAME = "eth0";
/** IPv4 next hop of a routed server: present as a /32 on every host-side veth. */
export const ROUTED_GATEWAY4 = "169.254.0.1";
/** IPv6 next hop of a routed server: the link-local address of every host-side veth. */
export const ROUTED_GATEWAY6 = "fe80::1";
/** Route protocol number on host routes to servers (shows as "proto 86" in `ip route`). */
export const ROUTE_PROTO = "86";

/** Validates a context id. */
export function checkCtx(value: unknown, field = "ctx"): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < MIN_CTX || value > MAX_CTX) {
    throw badInput(field, `must be an integer from ${MIN_CTX} to ${MAX_CTX}`);
  }
  return value;
}

/** Host side of the veth pair. */
export function hostLinkName(ctx: number): string {
  return `vsh${ctx}`;
}

/** IFB device that shapes traffic from the server. */
export function ifbName(ctx: number): string {
  return `vsi${ctx}`;
}

/** The server's nftables table (family netdev). */
export function tableName(ctx: number): string {
  return `vs${ctx}`;
}

/** The ctx in a name made by {@link hostLinkName}, {@link ifbName} or {@link tableName}. */
export function ctxFromName(name: string, kind: "link" | "ifb" | "table"): number | null {
  const prefix = kind === "link" ? "vsh" : kind === "ifb" ? "vsi" : "vs";
  const match = new RegExp(`^${prefix}([1-9][0-9]{0,4})$`).exec(name);
  if (!match) return null;
  const ctx = Number(match[1]);
  return ctx >= MIN_CTX && ctx <= MAX_CTX ? ctx : null;
}

/**
 * A per-host seed for MACs: bridged servers of several hosts can share one LAN, and the
 * ctx is only unique per host. /etc/machine-id is stable across reboots.
 */
export function readHostSeed(): string {
  try {
    const id = readFileSync("/etc/machine-id", "utf8").trim();
    if (id) return id;
  } catch {
    // fall through: a host without machine-id still has a name
  }
  return hostname();
}

/**
 * The guest's MAC: locally administered unicast (02:...), 3 bytes from the host seed,
 * 2 bytes of ctx. Unique on the host by construction; across hosts with high probability.
 */
export function guestMac(ctx: number, hostSeed: string): string {
  const digest = createHash("sha256").update(hostSeed).digest();
  const bytes = [0x02, digest[0]!, digest[1]!, digest[2]!, ctx >> 8, ctx & 0xff];
  return bytes.map((b) => b.toString(16).padStart(2, "0")).join(":");
}

/** Validates a MAC given by the caller: unicast, not all zeros, canonical lowercase. */
export function checkMac(value: unknown, field: string): string {
  if (typeof value !== "string" || !/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i.test(value)) {
    throw badInput(field, "must be a MAC address like 02:00:00:00:00:01");
  }
  const mac = value.toLowerCase();
  if ((parseInt(mac.slice(0, 2), 16) & 1) === 1) throw badInput(field, `${mac} is a multicast MAC`);
  if (mac === "00:00:00:00:00:00") throw badInput(field, "must not be all zeros");
  return mac;
}

/** The modified EUI-64 link-local address of a MAC (what the kernel would make). */
export function linkLocalFromMac(mac: string): string {
  const m = mac.split(":").map((h) => parseInt(h, 16));
  const bytes = new Uint8Array(16);
  bytes[0] = 0xfe;
  bytes[1] = 0x80;
  bytes.set([m[0]! ^ 0x02, m[1]!, m[2]!, 0xff, 0xfe, m[3]!, m[4]!, m[5]!], 8);
  return formatIPv6(bytes);
}
