/**
 * Changing a server's plan (billing up/downgrades): the server takes the new plan's
 * default resources, live; the reseller quota must hold them. Address counts follow
 * the new plan when it has more (extra addresses are added live); surplus addresses
 * stay until an admin removes them, so a downgrade never cuts a running service.
 */
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { audit } from "@/lib/server/audit/audit";
import type { Actor } from "@/lib/server/actor";
import { agentForHost } from "@/lib/server/hosts/agent-for-host";
import { allocateAddresses, releaseAddresses } from "@/lib/server/ip-pools/allocate-addresses";
import { getPlanOrThrow } from "@/lib/server/plans/plans";
import { interfacesOf } from "@/lib/server/jobs/handlers/server-row";
import { checkResellerQuota } from "./provision/check-reseller-quota";
import { fitPlan } from "./provision/fit-plan";
import { getServerOrThrow } from "./get-server-or-throw";
import { rowLimits, toAgentLimits } from "./server-limits";

/** Moves a server to another plan. */
export async function changePlan(db: Db, actor: Actor, serverId: string, planId: string) {
  if (actor.role !== "ADMIN" && actor.role !== "RESELLER") throw new AppError("FORBIDDEN", "ask your provider to change the plan");
  const server = await getServerOrThrow(db, actor, serverId);
  const plan = await getPlanOrThrow(db, actor, planId).catch(() => {
    throw new AppError("NOT_FOUND", "Plan not found", "planId");
  });
  if (plan.archived) throw new AppError("CONFLICT", "this plan is archived", "planId");
  if (plan.ownerId && plan.ownerId !== server.owner.resellerId) throw new AppError("BAD_REQUEST", "this plan belongs to another reseller", "planId");
  const limits = fitPlan(plan, {});
  const have = { v4: server.addresses.filter((a) => a.family === "IPV4").length, v6: server.addresses.filter((a) => a.family === "IPV6").length };
  const extra = { ipv4: Math.max(0, plan.ipv4Count - have.v4), ipv6: Math.max(0, plan.ipv6Count - have.v6) };
  await checkResellerQuota(db, server.owner.resellerId, limits, extra, { newServer: false, exceptServerId: server.id });

  const host = await db.host.findUniqueOrThrow({ where: { id: server.host.id } });
  const agent = agentForHost(host, 15_000);
  const added = [
    ...(await allocateAddresses(db, host.id, "IPV4", extra.ipv4, server.id)),
    ...(await allocateAddresses(db, host.id, "IPV6", extra.ipv6, server.id)),
  ];
  try {
    await agent.setLimits({ name: server.name, limits: toAgentLimits(limits) });
    const pools = await db.ipPool.findMany({ where: { id: { in: added.map((a) => a.poolId) } } });
    for (const iface of interfacesOf(added.map((a) => ({ ...a, pool: pools.find((p) => p.id === a.poolId)! })))) {
      await agent.addAddress({ name: server.name, address: iface });
    }
  } catch (error) {
    await releaseAddresses(db, added.map((a) => a.id));
    await agent.setLimits({ name: server.name, limits: toAgentLimits(rowLimits(server)) }).catch(() => undefined);
    throw new AppError("AGENT_FAILED", `the host did not apply the new plan: ${(error as Error).message}`);
  }
  const updated = await db.vServer.update({ where: { id: server.id }, data: { ...limits, planId: plan.id } });
  await audit(db, actor, "vserver.change-plan", { type: "vserver", id: server.id }, { from: server.plan?.id ?? null, to: plan.id, addedAddresses: added.map((a) => a.address) });
  return updated;
}
