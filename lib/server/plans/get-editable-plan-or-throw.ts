/** A plan the actor may change (an admin: any; a reseller: its own), for its edit page; 404 otherwise. */
import type { Db } from "@/lib/db/client";
import { notFound } from "@/lib/errors";
import type { Actor } from "@/lib/server/actor";

/** The plan with how many servers are on it. */
export async function getEditablePlanOrThrow(db: Db, actor: Actor, id: string) {
  const where = actor.role === "ADMIN" ? { id } : actor.role === "RESELLER" ? { id, ownerId: actor.userId } : { id: "__none__" };
  const plan = await db.plan.findFirst({ where, include: { _count: { select: { vservers: true } } } });
  if (!plan) throw notFound("Plan not found");
  return plan;
}
