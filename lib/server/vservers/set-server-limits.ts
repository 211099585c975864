/**
 * Slider changes: the owner (or its provider) moves a server's resources within its
 * plan. What can change while the server runs goes to the host at once and then onto
 * the row; a disk change the host can only make with a stop and a start is refused
 * until the user confirms it (`confirmRestart`), and then runs as a job. A value above
 * the plan's maximum, beyond the reseller's quota, or that the host refuses (memory
 * below what the guest uses now) is refused with the slider's field named, and nothing
 * changes.
 */
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { audit } from "@/lib/server/audit/audit";
import type { Actor } from "@/lib/server/actor";
import { createJob } from "@/lib/server/jobs/create-job";
import { runInlineJob } from "@/lib/server/jobs/run-inline-job";
import { agentForHost } from "@/lib/server/hosts/agent-for-host";
import { parseInput } from "@/lib/server/parse-input";
import { withResellerQuota } from "@/lib/server/resellers/with-reseller-quota";
import { fitPlan } from "./provision/fit-plan";
import { sliderInput } from "./provision/provision-input";
import { getServerOrThrow } from "./get-server-or-throw";
import { applyResize } from "./resize/apply-resize";
import { hostCapabilitiesOf } from "@/lib/server/hosts/host-capabilities";
import { planResize } from "./resize/plan-resize";
import { hostRefusal } from "./host-refusal";
import { rowLimits, type RowLimits } from "./server-limits";
import { requireHostOnline } from "@/lib/server/hosts/host-offline";

/** Input: the sliders moved, and the confirmation of a stop and start where one is needed. */
export const sliderChangeInput = sliderInput.extend({ confirmRestart: z.boolean().default(false) }).strict();

/** The outcome: applied now, or queued as a job that stops and starts the server. */
export type SliderChangeResult = { applied: "now"; limits: RowLimits } | { applied: "job"; jobId: string; notice: string };

/** Applies new slider values. */
export async function setServerLimits(db: Db, actor: Actor, serverId: string, raw: unknown): Promise<SliderChangeResult> {
  const { confirmRestart, ...wanted } = parseInput(sliderChangeInput, raw);
  if (actor.role === "SUPPORT") throw new AppError("FORBIDDEN", "support staff cannot change servers");
  const server = await getServerOrThrow(db, actor, serverId);
  if (!server.plan) throw new AppError("CONFLICT", "this server has no plan; an admin must set one first");
  // A suspended server is its provider's to change (as its plan is); its customer waits for the suspension to be lifted.
  if (server.suspended && actor.role === "CUSTOMER") throw new AppError("CONFLICT", "the server is suspended; contact your provider to lift the suspension");
  if (!["RUNNING", "STOPPED"].includes(server.state)) throw new AppError("CONFLICT", `the server is ${server.state.toLowerCase()}; try again when it is running or stopped`);
  const before = rowLimits(server);
  const after = fitPlan(server.plan, wanted, before);
  const plan = planResize(before, after, server.state === "RUNNING", hostCapabilitiesOf(server.host.capabilities), server.host.name);
  if (plan.refusal) throw new AppError("CONFLICT", plan.refusal.message, plan.refusal.field);
  if (plan.disk === "restart" && !confirmRestart) throw new AppError("CONFLICT", `${plan.restartNotice}; confirm to go ahead`, "diskMb");
  const host = await db.host.findUniqueOrThrow({ where: { id: server.host.id } });
  requireHostOnline(host);
  // The quota check and the writes it guards happen under the reseller's quota lock
  // (lib/server/resellers/with-reseller-quota.ts): a concurrent change for the same
  // reseller waits, so two changes that each fit alone cannot break the quota together.
  return withResellerQuota(db, server.owner.resellerId, { limits: after, before, serverId: server.id, planOwnerId: server.plan.ownerId }, async () => {
    if (plan.disk === "restart") {
      // The row holds the decision at once (so the quota sees it); the job brings the host
      // there and puts the row back if it fails.
      const jobId = await db.$transaction(async (tx) => {
        await tx.vServer.update({ where: { id: server.id }, data: after });
        return createJob(tx, { type: "server.resize", vserverId: server.id, hostId: host.id, createdById: actor.userId, payload: { limits: after, before } });
      });
      await audit(db, actor, "vserver.set-limits", { type: "vserver", id: server.id }, { before, after, jobId, restart: true });
      return { applied: "job" as const, jobId, notice: plan.restartNotice! };
    }
    const updated = await runInlineJob(db, { type: "server.set-limits", vserverId: server.id, hostId: host.id, createdById: actor.userId, payload: { before, after } }, async () => {
      try {
        await applyResize(agentForHost(host, 15_000), server.name, plan, before);
      } catch (error) {
        throw hostRefusal(error);
      }
      return { result: await db.vServer.update({ where: { id: server.id }, data: after }), line: "applied on the host, without a restart" };
    });
    await audit(db, actor, "vserver.set-limits", { type: "vserver", id: server.id }, { before, after });
    return { applied: "now" as const, limits: rowLimits(updated) };
  });
}
