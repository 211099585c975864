/**
 * Plans: the house's (owner null, made by admins) and a reseller's own (within its
 * quota, and each field within the bounds the admin set for it: plan-bounds.ts). Admins see all; a reseller sees the house's and its own; customers see the
 * plans of their servers only (through the server), support reads all.
 */
import { z } from "zod";
import type { Prisma } from "@/generated/prisma/sqlite/client";
import type { Db } from "@/lib/db/client";
import { AppError, notFound } from "@/lib/errors";
import { audit } from "@/lib/server/audit/audit";
import type { Actor } from "@/lib/server/actor";
import { pageInput, skipTake, toPage } from "@/lib/server/pagination";
import { parseInput } from "@/lib/server/parse-input";
import { checkPlanBounds, omittedBoundValues } from "@/lib/server/resellers/plan-bounds";
import { checkPlanPairs, createPlanInput, updatePlanInput } from "./plan-schemas";
import { noQuotaYet } from "@/lib/server/resellers/no-quota-yet";

/** Plans visible to the actor. */
export function visiblePlansWhere(actor: Pick<Actor, "userId" | "role">): Prisma.PlanWhereInput {
  if (actor.role === "ADMIN" || actor.role === "SUPPORT") return {};
  if (actor.role === "RESELLER") return { OR: [{ ownerId: null }, { ownerId: actor.userId }] };
  return { id: "__none__" };
}

/** Plans the actor may change. */
function ownedPlansWhere(actor: Actor): Prisma.PlanWhereInput {
  if (actor.role === "ADMIN") return {};
  if (actor.role === "RESELLER") return { ownerId: actor.userId };
  return { id: "__none__" };
}

/** Lists plans, paged. */
export async function listPlans(db: Db, actor: Actor, raw: unknown = {}) {
  const input = parseInput(pageInput.extend({ includeArchived: z.union([z.boolean(), z.enum(["0", "1"]).transform((v) => v === "1")]).default(false) }), raw);
  const where: Prisma.PlanWhereInput = {
    AND: [visiblePlansWhere(actor), input.includeArchived ? {} : { archived: false }, input.q ? { name: { contains: input.q } } : {}],
  };
  const [items, total] = await Promise.all([
    db.plan.findMany({ where, orderBy: [{ ownerId: "asc" }, { priceCents: "asc" }, { name: "asc" }], include: { _count: { select: { vservers: true } } }, ...skipTake(input) }),
    db.plan.count({ where }),
  ]);
  return toPage(items, total, input);
}

/** A plan visible to the actor, or 404. */
export async function getPlanOrThrow(db: Db, actor: Actor, id: string) {
  const plan = await db.plan.findFirst({ where: { AND: [{ id }, visiblePlansWhere(actor)] } });
  if (!plan) throw notFound("Plan not found");
  return plan;
}

/** The per-server bounds of a reseller (no quota: no plans of its own). */
async function resellerBounds(db: Db, resellerId: string) {
  const quota = await db.resellerQuota.findUnique({ where: { resellerId } });
  if (!quota) throw noQuotaYet();
  return quota;
}

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

/** What saving a change of a plan does to the servers on it, shown before saving. */
export interface PlanUpdateEffect {
  servers: number;
  /** Servers whose value is above a lowered maximum: they keep it, their sliders can only go down. */
  aboveMaximum: { serverId: string; name: string; field: string; value: number; max: number }[];
  /** Defaults that change: for new servers and plan changes only; servers on the plan keep theirs. */
  changedDefaults: string[];
}

const maxima = [
  ["cpuMilli", "cpuMilliMax"],
  ["memoryMb", "memoryMbMax"],
  ["swapMb", "swapMbMax"],
  ["diskMb", "diskMbMax"],
  ["pids", "pidsMax"],
] as const;

async function loadOwnedPlan(db: Db, actor: Actor, id: string, raw: unknown) {
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

/** The effect a change of the plan would have, without saving it. */
export async function previewPlanUpdate(db: Db, actor: Actor, id: string, raw: unknown): Promise<PlanUpdateEffect> {
  const { plan, merged } = await loadOwnedPlan(db, actor, id, raw);
  const servers = await db.vServer.findMany({ where: { planId: id }, select: { id: true, name: true, cpuMilli: true, memoryMb: true, swapMb: true, diskMb: true, pids: true } });
  const aboveMaximum = servers.flatMap((s) => maxima.filter(([v, m]) => s[v] > merged[m]).map(([v, m]) => ({ serverId: s.id, name: s.name, field: v, value: s[v], max: merged[m] })));
  const defaults = ["cpuMilli", "cpuWeight", "memoryMb", "swapMb", "diskMb", "inodes", "pids", "ioReadBps", "ioWriteBps", "ioReadIops", "ioWriteIops", "netRateMbit", "ipv4Count", "ipv6Count"] as const;
  return { servers: servers.length, aboveMaximum, changedDefaults: defaults.filter((k) => merged[k] !== plan[k]) };
}

/** Changes a plan: servers on it keep their resources (previewPlanUpdate says what that means). */
export async function updatePlan(db: Db, actor: Actor, id: string, raw: unknown) {
  const { input } = await loadOwnedPlan(db, actor, id, raw);
  const updated = await db.plan.update({ where: { id }, data: input });
  await audit(db, actor, "plan.update", { type: "plan", id }, { fields: Object.keys(input) });
  return updated;
}
