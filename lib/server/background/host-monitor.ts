/** Probes every host's agent every 30 seconds (and mirrors its templates) so lists show who is online without a page asking. */
import type { Db } from "@/lib/db/client";
import { probeHost } from "@/lib/server/hosts/probe-host";
import { syncHostTemplates } from "@/lib/server/templates/sync-templates";

/** Starts the monitor; returns a stop function. */
export function startHostMonitor(db: Db, everyMs = 30_000): () => void {
  const tick = async (): Promise<void> => {
    const hosts = await db.host.findMany({ select: { id: true } });
    await Promise.all(
      hosts.map(async (h) => {
        const probe = await probeHost(db, h.id, 3000).catch(() => null);
        if (probe?.online) await syncHostTemplates(db, h.id).catch(() => undefined);
      }),
    );
  };
  void tick();
  const timer = setInterval(() => void tick(), everyMs);
  return () => clearInterval(timer);
}
