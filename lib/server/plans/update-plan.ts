/** Changes a plan: servers on it keep their resources (previewPlanUpdate says what that means). */
import type { Db } from "@/lib/db/client";
import { audit } from "@/lib/server/audit/audit";
import type { Actor } from "@/lib/server/actor";
import { loadOwnedPlan } from "./owned-plans";

/** Changes a plan: servers on it keep their resources (previewPlanUpdate says what that means). */
export async function updatePlan(db: Db, actor: Actor, id: string, raw: unknown) {
  const { input } = await loadOwnedPlan(db, actor, id, raw);
  const updated = await db.plan.update({ where: { id }, data: input });
  await audit(db, actor, "plan.update", { type: "plan", id }, { fields: Object.keys(input) });
  return updated;
}
