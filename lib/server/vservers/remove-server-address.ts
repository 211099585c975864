/**
 * Takes an address away from a server, live, and returns it to its pool. The host goes
 * first: if it refuses, the panel still has the address (never the other way round,
 * which would hand out an address a running server still uses). It runs as an inline
 * job, so the reconciler does not put the address back between the two steps.
 */
import { AgentError } from "@/lib/agent-client";
import type { Db } from "@/lib/db/client";
import { AppError, notFound } from "@/lib/errors";
import { audit } from "@/lib/server/audit/audit";
import type { Actor } from "@/lib/server/actor";
import { agentForHost } from "@/lib/server/hosts/agent-for-host";
import { releaseAddresses } from "@/lib/server/ip-pools/allocate-addresses";
import { clearReleasedReverseDns } from "@/lib/server/dns/clear-released-reverse-dns";
import { interfacesOf } from "@/lib/server/jobs/handlers/server-row";
import { runInlineJob } from "@/lib/server/jobs/run-inline-job";
import { getServerOrThrow } from "./get-server-or-throw";
import { hostRefusal } from "./host-refusal";
import { requireHostOnline } from "@/lib/server/hosts/host-offline";

/** Removes address `addressId` from the server. */
export async function removeServerAddress(db: Db, actor: Actor, serverId: string, addressId: string): Promise<{ address: string }> {
  if (actor.role === "SUPPORT") throw new AppError("FORBIDDEN", "support staff cannot change servers");
  const server = await getServerOrThrow(db, actor, serverId);
  const address = server.addresses.find((a) => a.id === addressId);
  if (!address) throw notFound("Address not found");
  if (!["RUNNING", "STOPPED"].includes(server.state)) throw new AppError("CONFLICT", `the server is ${server.state.toLowerCase()}; try again when it is running or stopped`);
  const host = await db.host.findUniqueOrThrow({ where: { id: server.host.id } });
  requireHostOnline(host);
  const [iface] = interfacesOf([address]);
  await runInlineJob(db, { type: "server.remove-address", vserverId: server.id, hostId: host.id, createdById: actor.userId, payload: { address: address.address } }, async () => {
    try {
      await agentForHost(host, 15_000).removeAddress({ name: server.name, address: iface! });
    } catch (error) {
      // A host that does not have it (drift) has nothing to remove: the pool gets it back.
      if (!(error instanceof AgentError && error.code === "NOT_FOUND" && error.field === "address")) throw hostRefusal(error);
    }
    await releaseAddresses(db, [address.id]);
    const cleared = await clearReleasedReverseDns(db, [address], server.id);
    return { result: null, line: `removed ${address.address}/${address.prefix}; it is back in its pool${cleared ? ` (and its ${cleared} reverse-DNS record(s) removed)` : ""}` };
  });
  await audit(db, actor, "vserver.remove-address", { type: "vserver", id: server.id }, { address: address.address, prefix: address.prefix });
  return { address: address.address };
}
