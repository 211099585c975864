/** Creates a plan owned by the house (admin) or by the reseller. */
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { audit } from "@/lib/server/audit/audit";
import type { Actor } from "@/lib/server/actor";
import { parseInput } from "@/lib/server/parse-input";
import { checkPlanBounds, omittedBoundValues } from "@/lib/server/resellers/plan-bounds";
import { createPlanInput } from "./plan-schemas";
import { resellerBounds } from "./owned-plans";

/** Creates a plan owned by the house (admin) or by the reseller. */
export async function createPlan(db: Db, actor: Actor, raw: unknown) {
  if (actor.role !== "ADMIN" && actor.role !== "RESELLER") throw new AppError("FORBIDDEN", "you may not create plans");
  const input = parseInput(createPlanInput, raw);
  const ownerId = actor.role === "RESELLER" ? actor.userId : null;
  if (ownerId) {
    // A reseller's plan stays within the bounds the admin set (plan-bounds.ts).
    const bounds = await resellerBounds(db, ownerId);
    Object.assign(input, omittedBoundValues(input, bounds));
    checkPlanBounds(input, bounds);
  }
  if (await db.plan.findFirst({ where: { ownerId, name: input.name } })) throw new AppError("CONFLICT", "a plan with this name exists", "name");
  const plan = await db.plan.create({ data: { ...input, ownerId } });
  await audit(db, actor, "plan.create", { type: "plan", id: plan.id }, { name: plan.name });
  return plan;
}
