/** Free and used counts of a pool (free as a string: IPv6 pools are beyond 2^53). */
import { assignableCount, parseNetwork, type Network } from "@/lib/net/cidr";

function excludedList(pool: { gateway: string | null; reserved: string }): string[] {
  return [...(pool.gateway ? [pool.gateway] : []), ...pool.reserved.split(",").filter(Boolean)];
}

/** Free and used counts of a pool (free as a string: IPv6 pools are beyond 2^53). */
export function poolCounts(pool: { cidr: string; assignPrefix: number; gateway: string | null; reserved: string }, used: number): { used: number; free: string } {
  const net = parseNetwork(pool.cidr) as Network;
  const free = assignableCount(net, pool.assignPrefix, excludedList(pool).length) - BigInt(used);
  return { used, free: (free > 0n ? free : 0n).toString() };
}
