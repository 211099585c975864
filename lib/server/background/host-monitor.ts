/**
 * Probes every host's agent every 30 seconds (and mirrors its templates) so lists show who
 * is online without a page asking. Every panel instance runs it; each due host is claimed
 * by one of them (probe-due-hosts.ts), so N instances still probe a host once a period.
 * The monitor looks for due hosts every 5 s (or each period, when shorter): a host another
 * instance stopped probing is taken over within that much of its due time.
 */
import type { Db } from "@/lib/db/client";
import { probeDueHosts } from "@/lib/server/hosts/probe-due-hosts";

/** Starts the monitor; returns a stop function. */
export function startHostMonitor(db: Db, everyMs = 30_000): () => void {
  const busy = new Set<string>();
  const tick = (): void => {
    void probeDueHosts(db, { everyMs, busy }).catch((error) => console.error("host monitor: a pass failed", error));
  };
  tick();
  const timer = setInterval(tick, Math.min(5_000, everyMs));
  return () => clearInterval(timer);
}
