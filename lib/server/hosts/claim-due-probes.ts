/**
 * Which hosts this panel instance probes now: those whose probe is due (never probed by
 * the monitor, or `probeDueAt` passed), each claimed by moving its `probeDueAt` one period
 * on in a conditional update — of several instances ticking at once exactly one wins a
 * host, so each host is probed once a period between them, and a dead instance's hosts
 * are simply due again a period later for whoever ticks first. The next time is up to a
 * tenth of the period early, at random, so hosts added together drift apart and a
 * hundred of them are not all asked in the same second.
 */
import type { Db } from "@/lib/db/client";

/**
 * Claims the due hosts for one period of `everyMs`; returns their ids. Hosts in `skip`
 * (this instance's probes still running) are not claimed: claimed and then left, such a
 * host would go a whole period unprobed by every instance.
 */
export async function claimDueProbes(db: Db, everyMs: number, now = new Date(), random: () => number = Math.random, skip: ReadonlySet<string> = new Set()): Promise<string[]> {
  const due = await db.host.findMany({ where: { OR: [{ probeDueAt: null }, { probeDueAt: { lte: now } }], id: { notIn: [...skip] } }, select: { id: true } });
  const claimed: string[] = [];
  for (const h of due) {
    const next = new Date(now.getTime() + Math.round(everyMs * (1 - 0.1 * random())));
    // The condition is checked again by the write itself: a host another instance moved
    // on since the read above is not due any more and is left to it.
    const won = await db.host.updateMany({ where: { id: h.id, OR: [{ probeDueAt: null }, { probeDueAt: { lte: now } }] }, data: { probeDueAt: next } });
    if (won.count === 1) claimed.push(h.id);
  }
  return claimed;
}
