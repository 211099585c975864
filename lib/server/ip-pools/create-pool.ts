/** Creates a pool. */
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { audit } from "@/lib/server/audit/audit";
import type { Actor } from "@/lib/server/actor";
import { parseInput } from "@/lib/server/parse-input";
import { createPoolInput } from "./pool-schemas";
import { requireAdmin } from "@/lib/server/require-admin";

/** Creates a pool. */
export async function createPool(db: Db, actor: Actor, raw: unknown) {
  requireAdmin(actor, true);
  const input = parseInput(createPoolInput, raw);
  if (await db.ipPool.findUnique({ where: { name: input.name } })) throw new AppError("CONFLICT", "a pool with this name exists", "name");
  const hosts = await db.host.findMany({ where: { id: { in: input.hostIds } }, select: { id: true } });
  if (hosts.length !== new Set(input.hostIds).size) throw new AppError("BAD_REQUEST", "unknown host", "hostIds");
  const pool = await db.ipPool.create({
    data: {
      name: input.name,
      family: input.family,
      cidr: input.cidr,
      gateway: input.gateway,
      assignPrefix: input.assignPrefix,
      reserved: input.reserved.join(","),
      hosts: { create: hosts.map((h) => ({ hostId: h.id })) },
    },
  });
  await audit(db, actor, "ip-pool.create", { type: "ip-pool", id: pool.id }, { cidr: pool.cidr });
  return pool;
}
