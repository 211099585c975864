/**
 * Slider changes: the owner (or its provider) moves a server's resources within its
 * plan; the change goes to the host live (no restart) and then onto the row. A value
 * above the plan's maximum, beyond the reseller's quota, or that the host refuses (e.g.
 * memory below what the guest uses now) is refused with the reason, and nothing changes.
 */
import { AgentError } from "@/lib/agent-client";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { audit } from "@/lib/server/audit/audit";
import type { Actor } from "@/lib/server/actor";
import { agentForHost } from "@/lib/server/hosts/agent-for-host";
import { parseInput } from "@/lib/server/parse-input";
import { withResellerQuota } from "@/lib/server/resellers/with-reseller-quota";
import { fitPlan } from "./provision/fit-plan";
import { sliderInput } from "./provision/provision-input";
import { getServerOrThrow } from "./get-server-or-throw";
import { rowLimits, toAgentLimits } from "./server-limits";

/** Applies new slider values; returns the server's limits after the change. */
export async function setServerLimits(db: Db, actor: Actor, serverId: string, raw: unknown) {
  const wanted = parseInput(sliderInput, raw);
  if (actor.role === "SUPPORT") throw new AppError("FORBIDDEN", "support staff cannot change servers");
  const server = await getServerOrThrow(db, actor, serverId);
  if (!server.plan) throw new AppError("CONFLICT", "this server has no plan; an admin must set one first");
  if (["BUILDING", "DELETING"].includes(server.state)) throw new AppError("CONFLICT", `the server is ${server.state.toLowerCase()}`);
  const before = rowLimits(server);
  const after = fitPlan(server.plan, wanted, before);
  // The quota check, the host change and the row write happen under the reseller's quota
  // lock (lib/server/resellers/with-reseller-quota.ts): a concurrent change for the same
  // reseller waits, so two changes that each fit alone cannot break the quota together.
  return withResellerQuota(db, server.owner.resellerId, { limits: after, before, serverId: server.id, planOwnerId: server.plan.ownerId }, async () => {
    const host = await db.host.findUniqueOrThrow({ where: { id: server.host.id } });
    const agentLimits = toAgentLimits(after);
    try {
      await agentForHost(host, 15_000).setLimits({
        name: server.name,
        limits: { cpu: agentLimits.cpu, memory: agentLimits.memory, swap: agentLimits.swap, diskBytes: agentLimits.diskBytes, pids: agentLimits.pids },
      });
    } catch (error) {
      if (error instanceof AgentError && ["BAD_REQUEST", "LIMIT_EXCEEDED", "BUSY", "WRONG_STATE", "UNSUPPORTED"].includes(error.code)) {
        throw new AppError("CONFLICT", `the host refused the change: ${error.message}`, error.field?.replace(/^limits\./, ""));
      }
      throw new AppError("AGENT_FAILED", `the host did not apply the change: ${error instanceof Error ? error.message : String(error)}`);
    }
    const updated = await db.vServer.update({ where: { id: server.id }, data: after });
    await audit(db, actor, "vserver.set-limits", { type: "vserver", id: server.id }, { before, after });
    return rowLimits(updated);
  });
}
