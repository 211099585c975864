/**
 * The periodic check of open consoles (lib/server/console/console-liveness.ts): this
 * instance touches the rows of the consoles it relays, ends those whose user may no
 * longer have them, then ends the sessions of relays that are gone (any instance's).
 */
import type { Db } from "@/lib/db/client";
import { consoleSweepMs, endAbandonedConsoleSessions, touchConsoleSessions } from "@/lib/server/console/console-liveness";
import type { SocketConsoles } from "./socket-consoles";

/** One sweep over `live` (the consoles of this instance's sockets). */
export async function sweepConsoles(db: Db, live: Iterable<SocketConsoles>, now = new Date()): Promise<void> {
  const all = [...live];
  // Touched before the abandoned ones are looked for, so this instance's never count as abandoned.
  await touchConsoleSessions(db, all.flatMap((c) => c.openSessions()), now);
  for (const consoles of all) {
    // One socket's failed check (a database error) must not spare the others this round.
    await consoles.recheck().catch((error: unknown) => console.error("console recheck failed", error));
  }
  await endAbandonedConsoleSessions(db, now);
}

/** Sweeps every `everyMs` (never two at once); returns a stop function. */
export function startConsoleSweep(db: () => Db, live: Iterable<SocketConsoles>, everyMs = consoleSweepMs): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    sweepConsoles(db(), live)
      .catch((error: unknown) => console.error("console sweep failed", error))
      .finally(() => (running = false));
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
