/**
 * The one way to add to a reseller's quota: check and write under the reseller's quota
 * lock. Whatever adds to the sums (a new server, larger sliders, a bigger plan, more
 * addresses) runs its writes inside `work`, after the check and before the lock is given
 * back; a concurrent request for the same reseller (in this panel or another) waits for
 * the lock, then checks against what this one wrote.
 *
 *   await withResellerQuota(db, resellerId, { limits, ips, serverId, before, planOwnerId }, async () => {
 *     // write the rows (and call the agent) here; throw to refuse, nothing is kept
 *   });
 *
 * House customers (resellerId null) have no quota: `work` runs without a lock.
 */
import type { Db } from "@/lib/db/client";
import { checkResellerQuota } from "@/lib/server/vservers/provision/check-reseller-quota";
import type { RowLimits } from "@/lib/server/vservers/server-limits";
import { checkPlanBounds } from "./plan-bounds";
import { takeQuotaLock } from "./reseller-quota-lock";
import { noQuotaYet } from "./no-quota-yet";

/** What a change asks of the quota. */
export interface QuotaNeed {
  /** The server's limits after the change (all of them: totals and per-server bounds are checked). */
  limits: RowLimits;
  /** Addresses the change adds to the reseller's count. */
  ips?: { ipv4: number; ipv6: number };
  /** The existing server being changed (left out of the sums, replaced by `limits`); absent for a new server. */
  serverId?: string;
  /** Its limits before the change: only values that change must meet the per-server bounds. */
  before?: RowLimits;
  /**
   * The owner of the plan the limits come from: the per-server bounds hold for the
   * reseller's own plans; a house plan (null) is the admin's own decision.
   */
  planOwnerId: string | null;
}

/** Runs `work` while the reseller's quota lock is held, after checking that `need` fits; returns what `work` returns. */
export async function withResellerQuota<T>(db: Db, resellerId: string | null, need: QuotaNeed, work: () => Promise<T>): Promise<T> {
  if (!resellerId) return work(); // the house's own customers are capped by host capacity only
  const lock = await takeQuotaLock(db, resellerId);
  try {
    const quota = await db.resellerQuota.findUnique({ where: { resellerId } });
    if (!quota) throw noQuotaYet();
    if (need.planOwnerId === resellerId) checkPlanBounds({ ...need.limits }, quota, need.before ? { ...need.before } : undefined);
    await checkResellerQuota(db, resellerId, need.limits, need.ips ?? { ipv4: 0, ipv6: 0 }, { newServer: !need.serverId, exceptServerId: need.serverId, before: need.before });
    return await work();
  } finally {
    if (!(await lock.release().catch(() => false))) {
      // `work` outlived the lease (or the database went away): say so, the sums may need a look.
      console.error(`reseller quota lock of ${resellerId} ran out before the guarded work ended (lease ${lock.holder})`);
    }
  }
}
