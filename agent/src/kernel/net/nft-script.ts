/**
 * The anti-spoofing table of one server, as `nft -f -` scripts. One table per server in
 * family netdev, hooked at ingress of its host-side veth: it sees every frame the guest
 * sends before the bridge or the IP stack does, and it is created and removed with the
 * server without touching any other table. Each script is one nft transaction, so a
 * change is applied completely or not at all.
 *
 * Layout:
 * - `ingress` (base chain, policy drop): only frames from the server's own MAC, and only
 *   IPv4, ARP and IPv6 (VLAN-tagged frames show ether type 8021q and are dropped).
 * - `from4`: IPv4 source must be in @addr4; ICMP redirects are dropped.
 * - `from_arp`: Ethernet/IPv4 ARP whose sender MAC is the server's and sender IP is in
 *   @addr4 (ARP probes from 0.0.0.0 are dropped too: addresses are static).
 * - `from6`: IPv6 source must be in @addr6 (assigned addresses, a routed prefix as a
 *   whole, plus the server's own link-local while it has any IPv6 address; an interval
 *   set, so prefixes and single addresses mix); a neighbour advertisement's target must be
 *   in @nd6 (the single addresses as raw 128-bit values, since nft 1.0.6 lacks `icmpv6
 *   taddr`; a routed prefix is reached via the link-local, so it needs no NA of its own);
 *   router advertisements and redirects are dropped. Neighbour solicitations may ask for
 *   any target: that is how the guest finds its gateway and neighbours.
 * - `pass`: `accept`, or `fwd to` the server's IFB when its outgoing traffic is shaped.
 *   The IFB is fed from here, not from a tc ingress `mirred` action: tc ingress runs
 *   before the netfilter ingress hook, and a packet that comes back from an IFB skips
 *   both, so a mirred redirect would bypass this whole table.
 */
import { parseIp } from "./address";
import { bytesToHex } from "@/lib/net/ip-text";
import { routedPrefixOf, type ModeLike } from "./routed-prefix";

/** What the table allows. Addresses must be canonical (see address.ts). */
export interface FilterSpec {
  table: string;
  hostLink: string;
  mac: string;
  /** Allowed IPv4 sources. */
  addr4: string[];
  /** Allowed IPv6 sources: addresses and prefixes ("2001:db8:1::/64"), never overlapping
   * (include the link-local here when wanted). */
  addr6: string[];
  /** IFB to forward accepted frames to, or null to accept them. */
  shapeVia: string | null;
  /** Free text for `nft list` readers (validated vserver name). */
  comment: string;
}

const drop = `counter name "dropped" drop`;

function elements(values: string[]): string {
  return values.length ? ` elements = { ${values.join(", ")} };` : "";
}

/** NA targets: the single addresses among `elements` (prefixes are left out), raw. */
function raw6(elements: string[]): string[] {
  return elements.filter((e) => !e.includes("/")).map((a) => bytesToHex(parseIp(a)!.bytes));
}

function passRule(shapeVia: string | null): string {
  return shapeVia ? `fwd to "${shapeVia}"` : "accept";
}

/** The whole table, replacing any leftover of the same name in the same transaction. */
export function createTableScript(s: FilterSpec): string {
  return [
    `add table netdev ${s.table}`,
    `delete table netdev ${s.table}`,
    `table netdev ${s.table} {`,
    `  comment "${s.comment}"`,
    `  counter dropped { }`,
    `  set addr4 { type ipv4_addr;${elements(s.addr4)} }`,
    `  set addr6 { type ipv6_addr; flags interval;${elements(s.addr6)} }`,
    `  set nd6 { typeof @th,64,128;${elements(raw6(s.addr6))} }`,
    `  chain ingress {`,
    `    type filter hook ingress device "${s.hostLink}" priority -500; policy drop;`,
    `    ether saddr != ${s.mac} ${drop}`,
    `    ether type ip goto from4`,
    `    ether type arp goto from_arp`,
    `    ether type ip6 goto from6`,
    `    ${drop}`,
    `  }`,
    `  chain from4 {`,
    `    ip saddr != @addr4 ${drop}`,
    `    icmp type redirect ${drop}`,
    `    goto pass`,
    `  }`,
    `  chain from_arp {`,
    `    arp htype 1 arp ptype ip arp hlen 6 arp plen 4 arp saddr ether ${s.mac} arp saddr ip @addr4 goto pass`,
    `    ${drop}`,
    `  }`,
    `  chain from6 {`,
    `    ip6 saddr != @addr6 ${drop}`,
    `    icmpv6 type nd-neighbor-advert @th,64,128 != @nd6 ${drop}`,
    `    icmpv6 type { nd-router-advert, nd-redirect } ${drop}`,
    `    goto pass`,
    `  }`,
    `  chain pass {`,
    `    ${passRule(s.shapeVia)}`,
    `  }`,
    `}`,
    "",
  ].join("\n");
}

/** Deletes the table (fails if it does not exist; callers treat that as done). */
export function deleteTableScript(table: string): string {
  return `delete table netdev ${table}\n`;
}

/** Changes to the allowed sources, applied together. */
export interface SourceChange {
  add4?: string[];
  remove4?: string[];
  add6?: string[];
  remove6?: string[];
}

/**
 * Adds and removes allowed sources in one transaction. A removal is written as "add,
 * then delete" so it succeeds whether or not the element was there: the kernel state
 * after a crash may differ from what the state file says. IPv6 values may be prefixes
 * (`sourceElement`); only single addresses go into @nd6.
 */
export function changeSourcesScript(table: string, change: SourceChange): string {
  const lines: string[] = [];
  const put = (verb: "add" | "delete", set: string, values: string[]) => {
    if (values.length) lines.push(`${verb} element netdev ${table} ${set} { ${values.join(", ")} }`);
  };
  const { add4 = [], remove4 = [], add6 = [], remove6 = [] } = change;
  put("add", "addr4", [...add4, ...remove4]);
  put("delete", "addr4", remove4);
  put("add", "addr6", [...add6, ...remove6]);
  put("add", "nd6", raw6([...add6, ...remove6]));
  put("delete", "addr6", remove6);
  put("delete", "nd6", raw6(remove6));
  return lines.length ? lines.join("\n") + "\n" : "";
}

/** Switches the `pass` chain between accepting and shaping through `shapeVia`. */
export function passChainScript(table: string, shapeVia: string | null): string {
  return `flush chain netdev ${table} pass\nadd rule netdev ${table} pass ${passRule(shapeVia)}\n`;
}

/**
 * The IPv6 sources a server may use: its assigned addresses, and its own link-local only
 * while it has at least one, so that a server without addresses reaches no one.
 */
export function allowedSources(
  addresses: { family: 4 | 6; address: string; prefix: number }[],
  linkLocal: string,
  mode: ModeLike = { kind: "routed" },
): { addr4: string[]; addr6: string[] } {
  const addr4 = addresses.filter((a) => a.family === 4).map((a) => a.address);
  const own6 = addresses.filter((a) => a.family === 6).map((a) => sourceElement(mode, a));
  return { addr4, addr6: own6.length ? [linkLocal, ...own6] : [] };
}

/** The set element that lets a server send from `a`: the address, or its routed prefix. */
export function sourceElement(mode: ModeLike, a: { family: 4 | 6; address: string; prefix: number }): string {
  return routedPrefixOf(mode, a) ?? a.address;
}
