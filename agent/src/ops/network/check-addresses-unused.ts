/**
 * Address ownership across the configured servers of this host (running or not): an
 * address belongs to one server, and a routed IPv6 prefix (kernel/net/routed-prefix.ts)
 * to one server whole. Checked at build and at `ip add`, under the host-wide context
 * lock, so two servers cannot claim the same address at the same time.
 */
import type { InterfaceAddress } from "@/lib/protocol/names";
import { AgentFailure, badInput } from "../../errors";
import type { HostPaths } from "../../config/paths";
import { configFiles, listServerNames } from "../../config/vserver/layout";
import { readInterfaces } from "../../config/vserver/interfaces-files";
import { parseInterfaceAddress } from "../../kernel/net";
import { claimOf, claimsOverlap, type Claim, type ModeLike } from "../../kernel/net/routed-prefix";
import { serverNetworkPlan } from "./network-config";

/** Routed or bridge for `name` (routed when its network config cannot be read: the
 * stricter reading, since only routed mode makes prefixes). */
export function networkKindOf(paths: HostPaths, name: string): ModeLike {
  try {
    return { kind: serverNetworkPlan(paths, name).mode === "routed" ? "routed" : "bridge" };
  } catch {
    return { kind: "routed" };
  }
}

function describe(mine: Claim, theirs: Claim, owner: string): string {
  if (mine.len === theirs.len) return `${mine.text} belongs to ${owner}`;
  if (mine.len > theirs.len) return `${mine.text} is inside the routed prefix ${theirs.text} of ${owner}`;
  return `the routed prefix ${mine.text} covers ${theirs.text} of ${owner}`;
}

/**
 * Refuses addresses that overlap another server's (CONFLICT) or, with `own`, the
 * server's own other addresses (BAD_REQUEST: a routed prefix already holds them).
 */
export function checkAddressesUnused(
  paths: HostPaths,
  self: string,
  addresses: readonly InterfaceAddress[],
  field = "interfaces",
  own: readonly InterfaceAddress[] = [],
): void {
  const kind = networkKindOf(paths, self);
  const claimOfInput = (a: InterfaceAddress) => claimOf(kind, parseInterfaceAddress(a, field));
  const mine = addresses.map(claimOfInput);
  const fieldOf = (i: number) => (addresses.length === 1 && field === "address" ? field : `${field}.${i}`);
  const seen = own.map(claimOfInput);
  mine.forEach((m, i) => {
    const clash = seen.find((c) => claimsOverlap(c, m));
    if (clash) throw badInput(fieldOf(i), describe(m, clash, "this server"));
    seen.push(m);
  });
  for (const other of listServerNames(paths)) {
    if (other === self) continue;
    let theirs: Claim[];
    try {
      const otherKind = networkKindOf(paths, other);
      theirs = readInterfaces(configFiles(paths, other).interfaces).map((a) => claimOf(otherKind, parseInterfaceAddress(a, "interfaces")));
    } catch {
      continue; // An unreadable neighbour's config is its own problem; it cannot claim addresses.
    }
    mine.forEach((m, i) => {
      const clash = theirs.find((t) => claimsOverlap(t, m));
      if (clash) throw new AgentFailure("CONFLICT", `${fieldOf(i)}: ${describe(m, clash, `vserver "${other}"`)}`, fieldOf(i));
    });
  }
}
