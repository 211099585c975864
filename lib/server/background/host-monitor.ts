/** Probes every host's agent every 30 seconds so lists show who is online without a page asking. */
import type { Db } from "@/lib/db/client";
import { probeHost } from "@/lib/server/hosts/probe-host";

/** Starts the monitor; returns a stop function. */
export function startHostMonitor(db: Db, everyMs = 30_000): () => void {
  const tick = async (): Promise<void> => {
    const hosts = await db.host.findMany({ select: { id: true } });
    await Promise.all(hosts.map((h) => probeHost(db, h.id, 3000).catch(() => undefined)));
  };
  void tick();
  const timer = setInterval(() => void tick(), everyMs);
  return () => clearInterval(timer);
}
