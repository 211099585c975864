/** Updates a pool's name, gateway, reserved list or hosts. */
import type { Db } from "@/lib/db/client";
import { AppError, notFound } from "@/lib/errors";
import { audit } from "@/lib/server/audit/audit";
import type { Actor } from "@/lib/server/actor";
import { parseInput } from "@/lib/server/parse-input";
import { updatePoolInput } from "./pool-schemas";
import { requireAdmin } from "@/lib/server/require-admin";

/** Updates a pool's name, gateway, reserved list or hosts. */
export async function updatePool(db: Db, actor: Actor, id: string, raw: unknown) {
  requireAdmin(actor, true);
  const input = parseInput(updatePoolInput, raw);
  const pool = await db.ipPool.findUnique({ where: { id } });
  if (!pool) throw notFound("Pool not found");
  const updated = await db.$transaction(async (tx) => {
    if (input.hostIds) {
      const hosts = await tx.host.findMany({ where: { id: { in: input.hostIds } }, select: { id: true } });
      if (hosts.length !== new Set(input.hostIds).size) throw new AppError("BAD_REQUEST", "unknown host", "hostIds");
      await tx.ipPoolHost.deleteMany({ where: { poolId: id } });
      await tx.ipPoolHost.createMany({ data: hosts.map((h) => ({ poolId: id, hostId: h.id })) });
    }
    return tx.ipPool.update({
      where: { id },
      data: {
        ...(input.name ? { name: input.name } : {}),
        ...(input.gateway !== undefined ? { gateway: input.gateway } : {}),
        ...(input.reserved ? { reserved: input.reserved.join(",") } : {}),
      },
    });
  });
  await audit(db, actor, "ip-pool.update", { type: "ip-pool", id }, { fields: Object.keys(input) });
  return updated;
}
