/**
 * Creates the first administrator once: from ADMIN_EMAIL / ADMIN_PASSWORD when set,
 * else `admin@example.com` with a generated password that is returned (to be printed
 * once). When any admin exists, nothing is touched.
 */
import type { Db } from "@/lib/db/client";
import { generatePassword, hashPassword, minPasswordLength } from "@/lib/security/password";
import { recordAudit } from "@/lib/server/audit/record-audit";

/** What the seed did. */
export type SeedResult = { created: true; email: string; password: string; generated: boolean } | { created: false; email: string };

/** Seeds the first admin if there is none. */
export async function seedFirstAdmin(db: Db, env: NodeJS.ProcessEnv = process.env): Promise<SeedResult> {
  const existing = await db.user.findFirst({ where: { role: "ADMIN" }, orderBy: { createdAt: "asc" } });
  if (existing) return { created: false, email: existing.email };
  const email = (env.ADMIN_EMAIL?.trim() || "admin@example.com").toLowerCase();
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new Error(`ADMIN_EMAIL is not an email address: "${email}"`);
  const given = env.ADMIN_PASSWORD;
  if (given !== undefined && given.length < minPasswordLength) {
    throw new Error(`ADMIN_PASSWORD must have at least ${minPasswordLength} characters`);
  }
  const password = given ?? generatePassword();
  const user = await db.user.create({ data: { email, name: "Administrator", role: "ADMIN", passwordHash: await hashPassword(password) } });
  await recordAudit(db, { actor: { type: "SYSTEM" }, action: "user.seed-admin", target: { type: "user", id: user.id } });
  return { created: true, email, password, generated: given === undefined };
}
