/**
 * Keeps every host reconciled: each panel instance runs this loop; a host is reconciled
 * by one instance at a time, the one holding its lease (a conditional update of the
 * Host row, as jobs are claimed), so several instances on one PostgreSQL never correct
 * the same host twice at once, and a dead instance's hosts are taken over when its lease
 * runs out. A pass runs every `everyMs` (5 s: a server stopped behind the panel's back
 * shows within one period plus the page's own live update); a host that comes back after
 * an outage (an agent restart, a reboot) is reconciled in the first pass that reaches it.
 */
import crypto from "node:crypto";
import type { Db } from "@/lib/db/client";
import { reconcileHost } from "./reconcile-host";

/** Loop settings. */
export interface ReconcileLoopOptions {
  everyMs?: number;
  /** How long a claim holds without being renewed. */
  leaseMs?: number;
}

/** The default period, overridable by RECONCILE_INTERVAL_MS (tests, large installations). */
export function reconcilePeriodMs(env: NodeJS.ProcessEnv = process.env): number {
  const v = Number(env.RECONCILE_INTERVAL_MS);
  return Number.isInteger(v) && v >= 500 ? v : 5000;
}

/** Starts the loop; returns a stop function. */
export function startReconcileLoop(db: Db, options: ReconcileLoopOptions = {}): () => void {
  const everyMs = options.everyMs ?? reconcilePeriodMs();
  const leaseMs = options.leaseMs ?? Math.max(30_000, everyMs * 3);
  const runner = `reconcile-${process.pid}-${crypto.randomBytes(3).toString("hex")}`;
  const busy = new Set<string>();
  let stopped = false;

  const claim = async (hostId: string): Promise<boolean> => {
    const now = new Date();
    const got = await db.host.updateMany({
      where: { id: hostId, OR: [{ reconcileRunner: null }, { reconcileRunner: runner }, { reconcileLeaseUntil: { lt: now } }] },
      data: { reconcileRunner: runner, reconcileLeaseUntil: new Date(now.getTime() + leaseMs) },
    });
    return got.count === 1;
  };

  const tick = async (): Promise<void> => {
    if (stopped) return;
    let hosts: { id: string }[];
    try {
      hosts = await db.host.findMany({ select: { id: true } });
    } catch (error) {
      console.error("reconcile: cannot list hosts", error);
      return;
    }
    await Promise.all(
      hosts.map(async (h) => {
        if (busy.has(h.id)) return;
        busy.add(h.id);
        try {
          if (!(await claim(h.id))) return;
          await reconcileHost(db, h.id);
        } catch (error) {
          console.error(`reconcile of host ${h.id} failed`, error);
        } finally {
          busy.delete(h.id);
        }
      }),
    );
  };

  void tick();
  const timer = setInterval(() => void tick(), everyMs);
  return () => {
    stopped = true;
    clearInterval(timer);
    // Give the hosts back at once, so another instance need not wait for the lease.
    void db.host.updateMany({ where: { reconcileRunner: runner }, data: { reconcileRunner: null, reconcileLeaseUntil: null } }).catch(() => undefined);
  };
}
