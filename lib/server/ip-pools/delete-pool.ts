/** Deletes a pool that has no addresses out. */
import type { Db } from "@/lib/db/client";
import { AppError, notFound } from "@/lib/errors";
import { audit } from "@/lib/server/audit/audit";
import type { Actor } from "@/lib/server/actor";
import { requireAdmin } from "@/lib/server/require-admin";

/** Deletes a pool that has no addresses out. */
export async function deletePool(db: Db, actor: Actor, id: string): Promise<void> {
  requireAdmin(actor, true);
  const used = await db.ipAddress.count({ where: { poolId: id } });
  if (used > 0) throw new AppError("CONFLICT", `${used} address(es) of this pool are still assigned`);
  const deleted = await db.ipPool.deleteMany({ where: { id } });
  if (deleted.count === 0) throw notFound("Pool not found");
  await audit(db, actor, "ip-pool.delete", { type: "ip-pool", id });
}
