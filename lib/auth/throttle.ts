/**
 * Login throttling: failures are counted per key (the e-mail, and the client address)
 * in a 15-minute window; past the threshold the key is locked for a time that doubles
 * with each further failure (1 min … 15 min). A locked key fails even with the right
 * password, so guessing is not sped up by parallel attempts.
 */
import type { Db } from "@/lib/db/client";

const windowMs = 15 * 60 * 1000;
const maxLockMs = 15 * 60 * 1000;

/** Failures allowed per window before a lock, by key kind. */
export const throttleLimits = { email: 5, ip: 20 } as const;

/** Returns the end of an active lock on any of the keys, or null. */
export async function lockedUntil(db: Db, keys: string[], now = new Date()): Promise<Date | null> {
  const rows = await db.loginThrottle.findMany({ where: { key: { in: keys } } });
  const active = rows.map((r) => r.lockedUntil).filter((d): d is Date => d !== null && d > now);
  return active.length ? new Date(Math.max(...active.map((d) => d.getTime()))) : null;
}

/** Records one failure for a key with its limit. */
export async function recordFailure(db: Db, key: string, limit: number, now = new Date()): Promise<void> {
  const row = await db.loginThrottle.findUnique({ where: { key } });
  const fresh = !row || now.getTime() - row.windowStart.getTime() > windowMs;
  const failures = fresh ? 1 : row.failures + 1;
  const over = failures - limit;
  const lock = over >= 0 ? new Date(now.getTime() + Math.min(maxLockMs, 60_000 * 2 ** over)) : null;
  await db.loginThrottle.upsert({
    where: { key },
    create: { key, failures, windowStart: now, lockedUntil: lock },
    update: { failures, windowStart: fresh ? now : row.windowStart, lockedUntil: lock },
  });
}

/** Clears the e-mail key after a successful login (the address key keeps counting). */
export async function clearFailures(db: Db, key: string): Promise<void> {
  await db.loginThrottle.deleteMany({ where: { key } });
}
