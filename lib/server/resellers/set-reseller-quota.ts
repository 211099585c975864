/** An admin sets what a reseller may sell in total. */
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { audit } from "@/lib/server/audit/audit";
import type { Actor } from "@/lib/server/actor";
import { parseInput } from "@/lib/server/parse-input";
import { resellerQuotaInput } from "@/lib/server/users/user-schemas";

/** Creates or replaces the quota of a reseller. */
export async function setResellerQuota(db: Db, actor: Actor, resellerId: string, raw: unknown) {
  if (actor.role !== "ADMIN") throw new AppError("FORBIDDEN", "only admins set reseller quotas");
  const input = parseInput(resellerQuotaInput, raw);
  const reseller = await db.user.findFirst({ where: { id: resellerId, role: "RESELLER" } });
  if (!reseller) throw new AppError("NOT_FOUND", "Reseller not found");
  const quota = await db.resellerQuota.upsert({ where: { resellerId }, create: { resellerId, ...input }, update: input });
  await audit(db, actor, "reseller.set-quota", { type: "user", id: resellerId }, input);
  return quota;
}
