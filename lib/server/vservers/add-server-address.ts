/**
 * Gives a server one more address — an IPv4 address, or an IPv6 address or prefix as its
 * pool hands them out — from the pools of its host, live: the guest has it at once. The
 * plan caps how many a server may have (`ipv4Max`, `ipv6Max`) and the reseller's quota
 * caps its customers' total. The address is taken in the panel first and given back if
 * the host refuses it, so a failure leaves nothing taken. Customers may add within their
 * plan; support staff change nothing.
 */
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { audit } from "@/lib/server/audit/audit";
import type { Actor } from "@/lib/server/actor";
import { agentForHost } from "@/lib/server/hosts/agent-for-host";
import { allocateAddresses, releaseAddresses } from "@/lib/server/ip-pools/allocate-addresses";
import { interfacesOf } from "@/lib/server/jobs/handlers/server-row";
import { runInlineJob } from "@/lib/server/jobs/run-inline-job";
import { parseInput } from "@/lib/server/parse-input";
import { withResellerQuota } from "@/lib/server/resellers/with-reseller-quota";
import { getServerOrThrow } from "./get-server-or-throw";
import { hostRefusal } from "./host-refusal";
import { rowLimits } from "./server-limits";
import { requireHostOnline } from "@/lib/server/hosts/host-offline";

/** Input: which family. */
export const addAddressInput = z.object({ family: z.enum(["IPV4", "IPV6"]) }).strict();

/** Adds an address of `family`; returns it as the server has it (address, allocation prefix). */
export async function addServerAddress(db: Db, actor: Actor, serverId: string, raw: unknown) {
  const { family } = parseInput(addAddressInput, raw);
  if (actor.role === "SUPPORT") throw new AppError("FORBIDDEN", "support staff cannot change servers");
  const server = await getServerOrThrow(db, actor, serverId);
  if (!["RUNNING", "STOPPED"].includes(server.state)) throw new AppError("CONFLICT", `the server is ${server.state.toLowerCase()}; try again when it is running or stopped`);
  const v4 = server.addresses.filter((a) => a.family === "IPV4").length;
  const v6 = server.addresses.filter((a) => a.family === "IPV6").length;
  const max = family === "IPV4" ? (server.plan?.ipv4Max ?? v4) : (server.plan?.ipv6Max ?? v6);
  const have = family === "IPV4" ? v4 : v6;
  const label = family === "IPV4" ? "IPv4" : "IPv6";
  if (have >= max) throw new AppError("QUOTA_EXCEEDED", `family: the plan allows ${max} ${label} address${max === 1 ? "" : "es"} and the server has ${have}`, "family");
  const pools = await db.ipPool.count({ where: { family, hosts: { some: { hostId: server.host.id } } } });
  if (pools === 0) throw new AppError("CONFLICT", `family: host ${server.host.name} has no ${label} pool`, "family");
  const host = await db.host.findUniqueOrThrow({ where: { id: server.host.id } });
  requireHostOnline(host);
  // The address is taken under the reseller's quota lock, so two additions that each fit
  // alone cannot break the quota's address total together.
  const need = { limits: rowLimits(server), before: rowLimits(server), serverId: server.id, ips: { ipv4: family === "IPV4" ? 1 : 0, ipv6: family === "IPV6" ? 1 : 0 }, planOwnerId: server.plan?.ownerId ?? null };
  const added = await withResellerQuota(db, server.owner.resellerId, need, () => runInlineJob(db, { type: "server.add-address", vserverId: server.id, hostId: host.id, createdById: actor.userId, payload: { family } }, async () => {
    const [taken] = await allocateAddresses(db, server.host.id, family, 1, server.id);
    const pool = await db.ipPool.findUniqueOrThrow({ where: { id: taken!.poolId } });
    const [iface] = interfacesOf([{ ...taken!, pool }]);
    try {
      await agentForHost(host, 15_000).addAddress({ name: server.name, address: iface! });
    } catch (error) {
      await releaseAddresses(db, [taken!.id]);
      throw hostRefusal(error);
    }
    return { result: { id: taken!.id, address: taken!.address, prefix: taken!.prefix, family, inside: iface! }, line: `added ${taken!.address}/${taken!.prefix} (inside: ${iface!.address}/${iface!.prefix})` };
  }));
  await audit(db, actor, "vserver.add-address", { type: "vserver", id: server.id }, { address: added.address, prefix: added.prefix });
  return added;
}
