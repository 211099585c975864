/** The admin's backup settings: how long a terminated server's backups are kept. */
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { notFound } from "@/lib/errors";
import type { Actor } from "@/lib/server/actor";
import { audit } from "@/lib/server/audit/audit";
import { parseInput } from "@/lib/server/parse-input";

const key = "backups.graceDays";

/** Days a terminated server's backups are kept before they are pruned (default 7). */
export async function backupGraceDays(db: Db): Promise<number> {
  const row = await db.setting.findUnique({ where: { key } });
  const n = row ? Number(row.value) : NaN;
  return Number.isInteger(n) && n >= 0 ? n : 7;
}

const graceInput = z.object({ graceDays: z.number().int().min(0).max(3650) }).strict();

/** Sets the grace period; admins only (404 for anyone else); audited. */
export async function setBackupGraceDays(db: Db, actor: Actor, raw: unknown): Promise<number> {
  if (actor.role !== "ADMIN") throw notFound();
  const { graceDays } = parseInput(graceInput, raw);
  await db.setting.upsert({ where: { key }, create: { key, value: String(graceDays) }, update: { value: String(graceDays) } });
  await audit(db, actor, "backup.grace", undefined, { graceDays });
  return graceDays;
}
