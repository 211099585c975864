/** Which of a server's assigned addresses (or IPv6 prefixes) holds an address, with its pool's network. */
import { parseAddress, parseNetwork, contains, type Network } from "@/lib/net/cidr";
import type { ServerDetail } from "@/lib/server/vservers/get-server-or-throw";

/** One address of the server that holds the asked one. */
export interface HeldAddress {
  id: string;
  /** The assignment (address/prefix). */
  assigned: Network;
  /** The pool it came from (where the reverse zone is cut). */
  pool: Network;
  family: 4 | 6;
  value: bigint;
}

/** The assignment of `server` that holds `address` (canonical text), or null. */
export function addressInServer(server: Pick<ServerDetail, "addresses">, address: string): HeldAddress | null {
  const a = parseAddress(address);
  if (!a) return null;
  for (const row of server.addresses) {
    const assigned = parseNetwork(`${row.address}/${row.prefix}`);
    const pool = parseNetwork(row.pool.cidr);
    if (typeof assigned === "string" || typeof pool === "string") continue;
    if (assigned.family === a.family && contains(assigned, a.value)) return { id: row.id, assigned, pool, family: a.family, value: a.value };
  }
  return null;
}
