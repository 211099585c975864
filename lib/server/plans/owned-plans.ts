/** The plans an actor may change, and loading one of them with a change checked against its pairs and the reseller's bounds. */
import type { Prisma } from "@/generated/prisma/sqlite/client";
import type { Db } from "@/lib/db/client";
import { AppError, notFound } from "@/lib/errors";
import type { Actor } from "@/lib/server/actor";
import { parseInput } from "@/lib/server/parse-input";
import { checkPlanBounds } from "@/lib/server/resellers/plan-bounds";
import { checkPlanPairs, updatePlanInput } from "./plan-schemas";
import { noQuotaYet } from "@/lib/server/resellers/no-quota-yet";

/** Plans the actor may change. */
export function ownedPlansWhere(actor: Actor): Prisma.PlanWhereInput {
  if (actor.role === "ADMIN") return {};
  if (actor.role === "RESELLER") return { ownerId: actor.userId };
  return { id: "__none__" };
}

/** The per-server bounds of a reseller (no quota: no plans of its own). */
export async function resellerBounds(db: Db, resellerId: string) {
  const quota = await db.resellerQuota.findUnique({ where: { resellerId } });
  if (!quota) throw noQuotaYet();
  return quota;
}

/** A plan the actor may change, with the sent fields of `raw` (only those) merged and checked; a 404 otherwise. */
export async function loadOwnedPlan(db: Db, actor: Actor, id: string, raw: unknown) {
  const parsed = parseInput(updatePlanInput, raw);
  // zod fills the defaults of left-out keys even in a partial schema: keep only the keys
  // that were sent, or archiving a plan would reset its swap, IO, price… to defaults.
  const sent = raw as Record<string, unknown>;
  const input = Object.fromEntries(Object.entries(parsed).filter(([key]) => key in sent)) as Partial<typeof parsed>;
  const plan = await db.plan.findFirst({ where: { AND: [{ id }, ownedPlansWhere(actor)] } });
  if (!plan) throw notFound("Plan not found");
  const merged = { ...plan, ...input };
  const bad = checkPlanPairs(merged);
  if (bad) throw new AppError("BAD_REQUEST", `${bad.field}: ${bad.message}`, bad.field);
  // Only changed values are judged: a plan made before a bound was lowered stays editable.
  if (actor.role === "RESELLER") checkPlanBounds(merged, await resellerBounds(db, actor.userId), plan);
  return { input, plan, merged };
}
