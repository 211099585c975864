/**
 * A per-reseller lock in the database, held while a quota is checked and the writes it
 * guards are made, so two requests (in one panel or in several panels against one
 * PostgreSQL) cannot each see room for one more server and both take it.
 *
 * It is a lease on the reseller's ResellerQuota row, taken with one conditional UPDATE
 * (atomic on SQLite and PostgreSQL alike) and given back with another; a holder that
 * dies loses it when the lease runs out. It is not an open database transaction on
 * purpose: the SQLite adapter runs every query of the process on one connection, so a
 * transaction held open across awaits would take in (and on rollback, undo) other
 * requests' writes; and a guarded change may wait for an agent, which no transaction
 * should span. Waiters poll with a growing, jittered pause.
 */
import crypto from "node:crypto";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { noQuotaYet } from "./no-quota-yet";

/** How long a lock holds without being given back (longer than any guarded work: agent calls time out at 15 s). */
export const quotaLeaseMs = 60_000;
/** How long a request waits for the lock before giving up. */
export const quotaWaitMs = 30_000;

/** A held lock. */
export interface QuotaLock {
  resellerId: string;
  holder: string;
  /** Gives the lock back; false when the lease had run out and another holder took it. */
  release(): Promise<boolean>;
}

const pause = (attempt: number) => new Promise((r) => setTimeout(r, Math.min(100, 2 * 2 ** attempt) + crypto.randomInt(10)));

/**
 * Takes the reseller's quota lock, waiting while another holder has it. Throws
 * QUOTA_EXCEEDED when the reseller has no quota, CONFLICT when the wait runs out.
 */
export async function takeQuotaLock(db: Db, resellerId: string, options: { waitMs?: number; leaseMs?: number } = {}): Promise<QuotaLock> {
  const holder = `${process.pid}:${crypto.randomUUID()}`;
  const deadline = Date.now() + (options.waitMs ?? quotaWaitMs);
  for (let attempt = 0; ; attempt++) {
    const now = new Date();
    const taken = await db.resellerQuota.updateMany({
      where: { resellerId, OR: [{ lockedUntil: null }, { lockedUntil: { lt: now } }] },
      data: { lockHolder: holder, lockedUntil: new Date(now.getTime() + (options.leaseMs ?? quotaLeaseMs)) },
    });
    if (taken.count === 1) {
      return {
        resellerId,
        holder,
        release: async () => (await db.resellerQuota.updateMany({ where: { resellerId, lockHolder: holder }, data: { lockHolder: null, lockedUntil: null } })).count === 1,
      };
    }
    if (attempt === 0 && !(await db.resellerQuota.findUnique({ where: { resellerId }, select: { id: true } }))) {
      throw noQuotaYet();
    }
    if (Date.now() >= deadline) throw new AppError("CONFLICT", "another change to this reseller's servers is under way; try again in a moment");
    await pause(attempt);
  }
}
