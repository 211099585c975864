/**
 * The last time a server stopped unexpectedly (a crash or an OOM kill of its init), as the
 * reconciler recorded it from its host's report (lib/server/reconcile/observed-events.ts).
 * Read from the panel's own events, so the server page says it even while the host does
 * not answer. The caller has authorized the server (getServerOrThrow).
 */
import type { Db } from "@/lib/db/client";

/** One unexpected stop. */
export interface UnexpectedStop {
  at: Date;
  oom: boolean;
  /** The host's words for the cause ("its init was killed by the OOM killer …"). */
  cause: string;
}

function causeOf(data: string): string {
  try {
    const parsed: unknown = JSON.parse(data);
    if (parsed && typeof parsed === "object" && typeof (parsed as { cause?: unknown }).cause === "string") return (parsed as { cause: string }).cause;
  } catch {
    // an event row with broken data still says that it happened
  }
  return "unknown";
}

/** The latest one for `vserverId`, or null. */
export async function lastUnexpectedStop(db: Db, vserverId: string): Promise<UnexpectedStop | null> {
  const e = await db.event.findFirst({
    where: { vserverId, type: { in: ["server.crashed", "server.oom_killed"] } },
    orderBy: { at: "desc" },
    select: { at: true, type: true, data: true },
  });
  return e ? { at: e.at, oom: e.type === "server.oom_killed", cause: causeOf(e.data) } : null;
}
