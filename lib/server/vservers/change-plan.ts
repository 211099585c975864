/**
 * Moving a server to another plan (billing up- and downgrades), in every direction: the
 * server takes the new plan's default resources (its inode density stays: it is fixed
 * when the disk is made), and the addresses the plan comes with beyond what the server
 * has. Surplus addresses stay until someone removes them, so a downgrade never cuts a
 * running service. Everything is checked first — the plan, the reseller's quota, what
 * the host can do — and said before anything changes: a disk change the host can only
 * make with a stop and a start needs `confirmRestart`. The change itself is a job.
 *
 * Admins and the customer's reseller change plans directly; a customer may move its own
 * server to a plan marked `customerSelectable`, and asks for any other (plan-change-requests.ts).
 */
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { audit } from "@/lib/server/audit/audit";
import type { Actor } from "@/lib/server/actor";
import { createJob } from "@/lib/server/jobs/create-job";
import { withResellerQuota } from "@/lib/server/resellers/with-reseller-quota";
import { fitPlan } from "./provision/fit-plan";
import { getServerOrThrow, type ServerDetail } from "./get-server-or-throw";
import { hostCapabilitiesOf } from "@/lib/server/hosts/host-capabilities";
import { planResize, type ResizePlan } from "./resize/plan-resize";
import { rowLimits, type RowLimits } from "./server-limits";
import { requireHostOnline } from "@/lib/server/hosts/host-offline";

/** What a plan change would do, for the user to read before confirming. */
export interface PlanChangePreview {
  planId: string;
  planName: string;
  before: RowLimits;
  after: RowLimits;
  /** Addresses the new plan adds (per family). */
  addAddresses: { ipv4: number; ipv6: number };
  disk: ResizePlan["disk"];
  /** Said before a change that stops and starts the server. */
  restartNotice: string | null;
  /** Why the change is impossible (field and reason), or null. */
  refusal: { field: string; message: string } | null;
  /** The actor may make it now (else: a customer's request for its provider). */
  direct: boolean;
}

/** The plans a server may move to: its provider's own and the house's, not archived. */
export async function plansForServer(db: Db, server: Pick<ServerDetail, "owner" | "planId">) {
  return db.plan.findMany({
    where: { archived: false, OR: [{ ownerId: null }, ...(server.owner.resellerId ? [{ ownerId: server.owner.resellerId }] : [])] },
    orderBy: [{ priceCents: "asc" }, { name: "asc" }],
  });
}

async function loadTarget(db: Db, server: ServerDetail, planId: string) {
  const plan = await db.plan.findUnique({ where: { id: planId } });
  // A plan of another reseller is "not found" for this server: its existence is not told.
  if (!plan || (plan.ownerId !== null && plan.ownerId !== server.owner.resellerId)) throw new AppError("NOT_FOUND", "Plan not found", "planId");
  if (plan.archived) throw new AppError("CONFLICT", "this plan is archived", "planId");
  return plan;
}

/** Plans the change of `server` to `planId` without changing anything. */
export async function previewPlanChange(db: Db, actor: Actor, serverId: string, planId: string): Promise<PlanChangePreview> {
  if (actor.role === "SUPPORT") throw new AppError("FORBIDDEN", "support staff cannot change servers");
  const server = await getServerOrThrow(db, actor, serverId);
  const plan = await loadTarget(db, server, planId);
  const before = rowLimits(server);
  const after = { ...fitPlan(plan, {}), inodes: before.inodes };
  const have = { v4: server.addresses.filter((a) => a.family === "IPV4").length, v6: server.addresses.filter((a) => a.family === "IPV6").length };
  const addAddresses = { ipv4: Math.max(0, plan.ipv4Count - have.v4), ipv6: Math.max(0, plan.ipv6Count - have.v6) };
  const resize = planResize(before, after, server.state === "RUNNING", hostCapabilitiesOf(server.host.capabilities), server.host.name);
  const direct = actor.role === "ADMIN" || actor.role === "RESELLER" || plan.customerSelectable;
  return { planId: plan.id, planName: plan.name, before, after, addAddresses, disk: resize.disk, restartNotice: resize.restartNotice, refusal: resize.refusal, direct };
}

/** Queues the move of a server to another plan; returns the job. */
export async function changePlan(db: Db, actor: Actor, serverId: string, input: { planId: string; confirmRestart?: boolean }): Promise<{ jobId: string; restart: boolean }> {
  const preview = await previewPlanChange(db, actor, serverId, input.planId);
  if (!preview.direct) throw new AppError("FORBIDDEN", "this plan is chosen by your provider: send a request for it instead", "planId");
  if (preview.refusal) throw new AppError("CONFLICT", preview.refusal.message, preview.refusal.field);
  const server = await getServerOrThrow(db, actor, serverId);
  if (!["RUNNING", "STOPPED"].includes(server.state) || server.suspended) {
    throw new AppError("CONFLICT", server.suspended ? "the server is suspended" : `the server is ${server.state.toLowerCase()}; try again when it is running or stopped`);
  }
  if (preview.restartNotice && !input.confirmRestart) throw new AppError("CONFLICT", `${preview.restartNotice}; confirm to go ahead`, "confirmRestart");
  const pending = await db.job.count({ where: { vserverId: serverId, type: { in: ["server.change-plan", "server.resize"] }, state: { in: ["QUEUED", "RUNNING"] } } });
  if (pending > 0) throw new AppError("CONFLICT", "a change of this server's resources is already under way");
  requireHostOnline(server.host);
  const plan = await db.plan.findUniqueOrThrow({ where: { id: preview.planId } });
  const have = { ipv4: server.addresses.filter((a) => a.family === "IPV4").length, ipv6: server.addresses.filter((a) => a.family === "IPV6").length };
  // Under the reseller's quota lock the row takes the new plan at once (so the quota sees
  // it); the job brings the host there and puts the row back if it fails.
  const jobId = await withResellerQuota(
    db,
    server.owner.resellerId,
    { limits: preview.after, before: preview.before, serverId: server.id, ips: preview.addAddresses, planOwnerId: plan.ownerId },
    () =>
      db.$transaction(async (tx) => {
        await tx.vServer.update({ where: { id: server.id }, data: { ...preview.after, planId: preview.planId } });
        return createJob(tx, {
          type: "server.change-plan",
          vserverId: server.id,
          hostId: server.host.id,
          createdById: actor.userId,
          payload: {
            planId: preview.planId,
            fromPlanId: server.planId,
            before: preview.before,
            limits: preview.after,
            addresses: { ipv4: have.ipv4 + preview.addAddresses.ipv4, ipv6: have.ipv6 + preview.addAddresses.ipv6 },
          },
        });
      }),
  );
  await audit(db, actor, "vserver.change-plan", { type: "vserver", id: server.id }, { from: server.plan?.id ?? null, to: preview.planId, before: preview.before, after: preview.after, restart: preview.disk === "restart", jobId });
  return { jobId, restart: preview.disk === "restart" };
}
