/**
 * A customer's request to move its server to a plan its provider chooses: the customer
 * asks (one open request per server), may withdraw it, and the provider — the
 * customer's reseller, or an admin — approves it (which makes the change, as
 * change-plan.ts does, restart confirmation included) or rejects it with an answer.
 * Everyone sees only the requests of servers they may see.
 */
import { z } from "zod";
import type { Prisma } from "@/generated/prisma/sqlite/client";
import type { Db } from "@/lib/db/client";
import { AppError, notFound } from "@/lib/errors";
import { audit } from "@/lib/server/audit/audit";
import type { Actor } from "@/lib/server/actor";
import { parseInput } from "@/lib/server/parse-input";
import { changePlan, previewPlanChange } from "./change-plan";
import { getServerOrThrow } from "./get-server-or-throw";
import { visibleServersWhere } from "./visible-servers-where";

/** Input of a request. */
export const planChangeRequestInput = z.object({ planId: z.string().min(1).max(64), note: z.string().trim().max(500).default("") }).strict();

/** Input of a decision. */
export const planChangeDecisionInput = z
  .object({ approve: z.boolean(), answer: z.string().trim().max(500).default(""), confirmRestart: z.boolean().default(false) })
  .strict();

/** Asks for a plan change of the actor's server; returns the request. */
export async function requestPlanChange(db: Db, actor: Actor, serverId: string, raw: unknown) {
  const input = parseInput(planChangeRequestInput, raw);
  if (actor.role === "SUPPORT") throw new AppError("FORBIDDEN", "support staff cannot change servers");
  const preview = await previewPlanChange(db, actor, serverId, input.planId);
  const server = await getServerOrThrow(db, actor, serverId);
  if (server.planId === input.planId) throw new AppError("CONFLICT", "the server is on this plan already", "planId");
  const open = await db.planChangeRequest.count({ where: { vserverId: serverId, state: "PENDING" } });
  if (open > 0) throw new AppError("CONFLICT", "a request for this server is waiting for an answer; withdraw it first");
  const request = await db.planChangeRequest.create({
    data: { vserverId: serverId, toPlanId: preview.planId, fromPlanId: server.planId, requestedById: actor.userId, note: input.note },
  });
  await audit(db, actor, "vserver.request-plan-change", { type: "vserver", id: serverId }, { requestId: request.id, to: preview.planId });
  return request;
}

/** Requests the actor may see, newest first (pending ones by default). */
export async function listPlanChangeRequests(db: Db, actor: Actor, filter: { state?: "PENDING" | "APPROVED" | "REJECTED" | "CANCELLED"; serverId?: string } = {}) {
  const where: Prisma.PlanChangeRequestWhereInput = {
    AND: [{ vserver: visibleServersWhere(actor) }, filter.state ? { state: filter.state } : {}, filter.serverId ? { vserverId: filter.serverId } : {}],
  };
  return db.planChangeRequest.findMany({
    where,
    orderBy: { createdAt: "desc" },
    take: 200,
    include: { vserver: { select: { id: true, name: true, plan: { select: { name: true } }, owner: { select: { email: true } } } }, toPlan: { select: { id: true, name: true } }, requestedBy: { select: { email: true } } },
  });
}

async function loadRequest(db: Db, actor: Actor, requestId: string) {
  const request = await db.planChangeRequest.findFirst({ where: { AND: [{ id: requestId }, { vserver: visibleServersWhere(actor) }] } });
  if (!request) throw notFound("Request not found");
  if (request.state !== "PENDING") throw new AppError("CONFLICT", `this request was ${request.state.toLowerCase()} already`);
  return request;
}

/** Approves (and carries out) or rejects a pending request: the customer's provider or an admin. */
export async function decidePlanChange(db: Db, actor: Actor, requestId: string, raw: unknown): Promise<{ state: "APPROVED" | "REJECTED"; jobId?: string }> {
  const input = parseInput(planChangeDecisionInput, raw);
  if (actor.role !== "ADMIN" && actor.role !== "RESELLER") throw new AppError("FORBIDDEN", "only the customer's provider decides plan changes");
  const request = await loadRequest(db, actor, requestId);
  let jobId: string | undefined;
  if (input.approve) jobId = (await changePlan(db, actor, request.vserverId, { planId: request.toPlanId, confirmRestart: input.confirmRestart })).jobId;
  const state = input.approve ? "APPROVED" : "REJECTED";
  // Decided once: a second decider (or a withdrawal) that raced this one changes nothing.
  const done = await db.planChangeRequest.updateMany({ where: { id: request.id, state: "PENDING" }, data: { state, answer: input.answer, decidedById: actor.userId, decidedAt: new Date(), jobId } });
  if (done.count !== 1) throw new AppError("CONFLICT", "this request was decided meanwhile");
  await audit(db, actor, `vserver.${input.approve ? "approve" : "reject"}-plan-change`, { type: "vserver", id: request.vserverId }, { requestId, to: request.toPlanId, jobId });
  return { state, jobId };
}

/** Withdraws the actor's own pending request. */
export async function cancelPlanChange(db: Db, actor: Actor, requestId: string): Promise<void> {
  if (actor.role === "SUPPORT") throw new AppError("FORBIDDEN", "support staff cannot change servers");
  const request = await loadRequest(db, actor, requestId);
  if (request.requestedById !== actor.userId) throw new AppError("FORBIDDEN", "only who asked may withdraw a request");
  await db.planChangeRequest.updateMany({ where: { id: request.id, state: "PENDING" }, data: { state: "CANCELLED", decidedAt: new Date() } });
  await audit(db, actor, "vserver.cancel-plan-change", { type: "vserver", id: request.vserverId }, { requestId });
}
