/** A plan visible to the actor, or 404. */
import type { Db } from "@/lib/db/client";
import { notFound } from "@/lib/errors";
import type { Actor } from "@/lib/server/actor";
import { visiblePlansWhere } from "./visible-plans-where";

/** A plan visible to the actor, or 404. */
export async function getPlanOrThrow(db: Db, actor: Actor, id: string) {
  const plan = await db.plan.findFirst({ where: { AND: [{ id }, visiblePlansWhere(actor)] } });
  if (!plan) throw notFound("Plan not found");
  return plan;
}
