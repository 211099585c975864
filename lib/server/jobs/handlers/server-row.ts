/** Loading a job's server with what the agent calls need, and writing back its state. */
import type { VserverInfo } from "@/lib/protocol/vservers";
import type { Db } from "@/lib/db/client";
import { formatAddress, parseAddress, parseNetwork, type Network } from "@/lib/net/cidr";

/** The job's server with addresses and pools. */
export async function loadJobServer(db: Db, vserverId: string | null) {
  if (!vserverId) throw new Error("this job has no server");
  const server = await db.vServer.findUnique({ where: { id: vserverId }, include: { addresses: { include: { pool: true } } } });
  if (!server) throw new Error("the server no longer exists in the panel");
  return server;
}

/**
 * Interface addresses for the agent: a single address carries its pool's prefix (the
 * guest sees its subnet); a routed IPv6 prefix (a /64 per server) is configured as the
 * prefix's ::1 with that prefix length.
 */
export function interfacesOf(addresses: { address: string; prefix: number; pool: { cidr: string; assignPrefix: number } }[]) {
  return addresses.map((a) => {
    const net = parseNetwork(a.pool.cidr) as Network;
    if (a.prefix === net.bits) return { address: a.address, prefix: net.prefix };
    const base = parseAddress(a.address)!;
    return { address: formatAddress(base.family, base.value + 1n), prefix: a.prefix };
  });
}

/** Writes the agent's view of a server's state onto its row. */
export async function recordAgentState(db: Db, vserverId: string, info: Pick<VserverInfo, "state"> & Partial<Pick<VserverInfo, "userNamespace">>): Promise<void> {
  await db.vServer.update({
    where: { id: vserverId },
    data: {
      state: info.state === "running" ? "RUNNING" : "STOPPED",
      stateChangedAt: new Date(),
      observedAt: new Date(),
      driftNote: null,
      lastError: null,
      // The host says how the server maps ids (it is the source of truth for what runs there).
      ...(info.userNamespace === undefined ? {} : { userNamespace: info.userNamespace }),
    },
  });
}
