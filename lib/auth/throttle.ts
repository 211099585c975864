/**
 * Login throttling: attempts are counted per key (the e-mail, the client address, a
 * user's second factor) in a 15-minute window, and each attempt is counted BEFORE it is
 * evaluated: it takes a slot, and the slot that reaches the limit locks the key for a
 * time that doubles with each further slot (1 min … 15 min). A locked key refuses at
 * once, even the right password. So a burst of parallel guesses gets no more
 * evaluations than the limit: the rest find the key locked before any check runs.
 * An attempt that turns out right gives its slots back.
 *
 * Slots are taken by compare-and-set on the row's revision (one conditional UPDATE),
 * which is atomic on SQLite and PostgreSQL and across panel instances.
 */
import type { Db } from "@/lib/db/client";

const windowMs = 15 * 60 * 1000;
const maxLockMs = 15 * 60 * 1000;

/** Attempts allowed per window before a lock, by key kind. */
export const throttleLimits = { email: 5, ip: 20 } as const;

/** A key and its limit. */
export interface ThrottleKey {
  key: string;
  limit: number;
}

/** A slot an attempt holds on one key: the lock it set (to lift it when the attempt was right). */
interface Slot {
  key: string;
  lockSet: Date | null;
}

/** An attempt that was counted and may be evaluated. */
export interface Attempt {
  slots: Slot[];
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: string }).code === "P2002";
}

/** The lock a key gets when its count reaches `failures`, or null below the limit. */
function lockFor(failures: number, limit: number, now: Date): Date | null {
  return failures >= limit ? new Date(now.getTime() + Math.min(maxLockMs, 60_000 * 2 ** (failures - limit))) : null;
}

// Compare-and-set retries are bounded: each retry means another attempt changed the row,
// and a row can only change as often as attempts arrive.
const maxRetries = 1000;

/** Takes one slot on a key; null when the key is locked. */
async function takeSlot(db: Db, { key, limit }: ThrottleKey, now: Date): Promise<Slot | null> {
  for (let i = 0; i < maxRetries; i++) {
    const row = await db.loginThrottle.findUnique({ where: { key } });
    if (row?.lockedUntil && row.lockedUntil > now) return null;
    const fresh = !row || now.getTime() - row.windowStart.getTime() > windowMs;
    const failures = fresh ? 1 : row.failures + 1;
    const lock = lockFor(failures, limit, now);
    if (!row) {
      try {
        await db.loginThrottle.create({ data: { key, failures, windowStart: now, lockedUntil: lock } });
        return { key, lockSet: lock };
      } catch (error) {
        if (isUniqueViolation(error)) continue; // another attempt made the row first
        throw error;
      }
    }
    const set = await db.loginThrottle.updateMany({
      where: { key, revision: row.revision },
      data: { failures, windowStart: fresh ? now : row.windowStart, lockedUntil: lock, revision: { increment: 1 } },
    });
    if (set.count === 1) return { key, lockSet: lock };
  }
  throw new Error(`login throttle: no slot on ${key} after ${maxRetries} tries`);
}

/**
 * Counts one attempt on every key before it is evaluated. Returns null — and counts
 * nothing — when any key is locked: the caller must refuse without evaluating.
 */
export async function beginAttempt(db: Db, keys: ThrottleKey[], now = new Date()): Promise<Attempt | null> {
  const slots: Slot[] = [];
  for (const k of keys) {
    const slot = await takeSlot(db, k, now);
    if (!slot) {
      await giveBack(db, { slots });
      return null;
    }
    slots.push(slot);
  }
  return { slots };
}

/** Gives an attempt's slots back (it was right, or never evaluated): each count drops by one, a lock it set is lifted. */
export async function giveBack(db: Db, attempt: Attempt): Promise<void> {
  for (const slot of attempt.slots) {
    for (let i = 0; i < maxRetries; i++) {
      const row = await db.loginThrottle.findUnique({ where: { key: slot.key } });
      if (!row || row.failures === 0) break;
      const ours = slot.lockSet !== null && row.lockedUntil?.getTime() === slot.lockSet.getTime();
      const set = await db.loginThrottle.updateMany({
        where: { key: slot.key, revision: row.revision },
        data: { failures: row.failures - 1, lockedUntil: ours ? null : row.lockedUntil, revision: { increment: 1 } },
      });
      if (set.count === 1) break;
    }
  }
}

/** Clears a key: a full login clears its e-mail's count, an accepted code its user's. */
export async function clearFailures(db: Db, key: string): Promise<void> {
  await db.loginThrottle.deleteMany({ where: { key } });
}
