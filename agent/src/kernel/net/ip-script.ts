/**
 * The `ip -batch -` scripts and sysctl lists of attaching a server, as pure functions.
 *
 * Routed mode ("point-to-point routed"): each host-side veth carries 169.254.0.1/32 and
 * fe80::1/64; the guest gets its addresses with their prefix but `noprefixroute`, and
 * default routes via 169.254.0.1 (onlink) and fe80::1. So every packet of the guest,
 * also to a neighbour in the same subnet, goes through the host's routing and through
 * the anti-spoofing table, and the host needs no proxy ARP/NDP entries: it only answers
 * for its own next-hop addresses. The host routes each guest address (/32, /128) to the
 * guest's veth.
 *
 * Bridge mode: the host-side veth joins the bridge with no address of its own; the guest
 * gets its addresses with on-link prefix routes and default routes via the pool's
 * gateways.
 *
 * A routed IPv6 prefix (`P::1/64`, see routed-prefix.ts) is routed whole, via the guest's
 * link-local address: the host resolves only that one neighbour, whatever addresses the
 * guest uses inside its prefix.
 */
import { cidrText } from "./address";
import { GUEST_IFNAME, ROUTE_PROTO, ROUTED_GATEWAY4, ROUTED_GATEWAY6 } from "./naming";
import { routedPrefixOf } from "./routed-prefix";
import type { NetworkSpec } from "./spec";

type Address = NetworkSpec["addresses"][number];

/** ip-batch lines: join with newlines. */
export function ipBatch(lines: string[]): string {
  return lines.length ? lines.join("\n") + "\n" : "";
}

/**
 * Step 1 on the host: the veth pair (guest side made directly inside the namespace, as
 * eth0 with its MAC), the host side's next-hop addresses, the IFB when shaping. The host
 * side stays down until the nft table exists, so no frame passes unfiltered.
 */
export function hostCreateLines(spec: NetworkSpec): string[] {
  const h = spec.hostLink;
  const lines = [
    `link add ${h} type veth peer name ${GUEST_IFNAME} address ${spec.mac} netns ${spec.netnsPath}`,
    `link set dev ${h} addrgenmode none`,
  ];
  if (spec.mode.kind === "routed") {
    lines.push(
      `addr add ${ROUTED_GATEWAY4}/32 dev ${h} scope link noprefixroute`,
      `addr add ${ROUTED_GATEWAY6}/64 dev ${h} nodad`,
    );
  } else {
    lines.push(`link set dev ${h} master ${spec.mode.bridge}`);
  }
  if (spec.rate.out !== null) lines.push(...ifbCreateLines(spec.ifb));
  return lines;
}

/** The IFB that shapes a server's outgoing traffic (txqueuelen: IFB's default is 32). */
export function ifbCreateLines(ifb: string): string[] {
  return [`link add ${ifb} txqueuelen 1000 type ifb`, `link set dev ${ifb} up`];
}

/** Where the host routes a server's addresses: its host-side link and its link-local. */
export interface RouteTarget {
  hostLink: string;
  linkLocal: string;
}

/**
 * A host route to one guest address (routed mode), as `ip route add|del` arguments: /32
 * or /128 on the link, or a routed prefix via the guest's link-local.
 */
export function hostRouteArgv(verb: "add" | "del", target: RouteTarget, a: Address): string[] {
  const prefix = routedPrefixOf({ kind: "routed" }, a);
  if (prefix) return ["route", verb, prefix, "via", target.linkLocal, "dev", target.hostLink, "proto", ROUTE_PROTO];
  const dst = `${a.address}/${a.family === 4 ? 32 : 128}`;
  return ["route", verb, dst, "dev", target.hostLink, "proto", ROUTE_PROTO, ...(a.family === 4 ? ["scope", "link"] : [])];
}

/** Step 3 on the host, after the filter is in place: link up, routes to the guest. */
export function hostUpLines(spec: NetworkSpec): string[] {
  const lines = [`link set dev ${spec.hostLink} up`];
  if (spec.mode.kind === "routed") lines.push(...spec.addresses.map((a) => hostRouteArgv("add", spec, a).join(" ")));
  return lines;
}

/** One guest address as `ip addr add|del` arguments (no DAD: the host owns the assignment). */
export function guestAddressArgv(mode: NetworkSpec["mode"], a: Address): string[] {
  const flags = [a.family === 6 ? "nodad" : "", mode.kind === "routed" ? "noprefixroute" : ""];
  return [cidrText(a), "dev", GUEST_IFNAME, ...flags.filter(Boolean)];
}

/** Inside the namespace: lo, link-local, addresses, eth0 up, default routes. */
export function guestLines(spec: NetworkSpec): string[] {
  const lines = [
    `link set dev lo up`,
    `link set dev ${GUEST_IFNAME} addrgenmode none`,
    `addr add ${spec.linkLocal}/64 dev ${GUEST_IFNAME} nodad`,
    ...spec.addresses.map((a) => ["addr", "add", ...guestAddressArgv(spec.mode, a)].join(" ")),
    `link set dev ${GUEST_IFNAME} up`,
  ];
  const gw4 = spec.mode.kind === "routed" ? ROUTED_GATEWAY4 : spec.mode.gateway4;
  const gw6 = spec.mode.kind === "routed" ? ROUTED_GATEWAY6 : spec.mode.gateway6;
  if (gw4) lines.push(`route add 0.0.0.0/0 via ${gw4} dev ${GUEST_IFNAME} onlink`);
  if (gw6) lines.push(`route add ::/0 via ${gw6} dev ${GUEST_IFNAME} onlink`);
  return lines;
}

/**
 * Sysctls inside the namespace, set by the host (the guest's /proc/sys is read-only):
 * no DAD (the host guarantees uniqueness; DAD would delay the first packet by a second),
 * no router advertisements or autoconf (only the host assigns addresses and routes), no
 * router solicitations (nothing answers them).
 */
export function guestSysctls(): [string, string][] {
  const conf = `net.ipv6.conf.${GUEST_IFNAME}`;
  return [
    [`${conf}.disable_ipv6`, "0"],
    [`${conf}.accept_dad`, "0"],
    [`${conf}.dad_transmits`, "0"],
    [`${conf}.accept_ra`, "0"],
    [`${conf}.autoconf`, "0"],
    [`${conf}.router_solicitations`, "0"],
    [`${conf}.accept_redirects`, "0"],
    [`net.ipv4.conf.${GUEST_IFNAME}.accept_redirects`, "0"],
  ];
}

/**
 * Host-side per-device sysctls. Routed: forward what arrives from the guest (IPv4
 * `forwarding` is per input device; IPv6 `force_forwarding` when the kernel has it, else
 * global forwarding must be on, see host-network.ts), never learn routes or redirects
 * from a guest. Bridge port: no IPv6 on the port itself.
 */
export function hostLinkSysctls(spec: NetworkSpec, hasForceForwarding: boolean): [string, string][] {
  const h = spec.hostLink;
  if (spec.mode.kind === "bridge") return [[`net.ipv6.conf.${h}.disable_ipv6`, "1"]];
  const list: [string, string][] = [
    [`net.ipv4.conf.${h}.forwarding`, "1"],
    [`net.ipv4.conf.${h}.accept_redirects`, "0"],
    [`net.ipv4.conf.${h}.send_redirects`, "0"],
    [`net.ipv6.conf.${h}.accept_ra`, "0"],
    [`net.ipv6.conf.${h}.autoconf`, "0"],
    [`net.ipv6.conf.${h}.accept_redirects`, "0"],
  ];
  if (hasForceForwarding) list.push([`net.ipv6.conf.${h}.force_forwarding`, "1"]);
  return list;
}
