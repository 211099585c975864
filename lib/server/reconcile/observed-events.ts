/**
 * Events the reconciler sees on the hosts rather than makes: a server that was running
 * and is found stopped although nobody decided so (a crash, an OOM kill of its init — the
 * cause as the host's agent recorded the init's exit), and a host that stops or starts
 * answering. Each is written with the row change that records it, in one transaction.
 */
import type { Db } from "@/lib/db/client";
import type { VserverInfo } from "@/lib/protocol/vservers";
import { recordEvent } from "@/lib/server/events/record-event";

/** The host's record of the last init exit, when its agent sends one (`lastExit`). */
function exitCause(info: VserverInfo): { cause: string; oom: boolean } {
  const last = (info as unknown as Record<string, unknown>).lastExit;
  if (!last || typeof last !== "object") return { cause: "unknown (the host did not say why)", oom: false };
  const l = last as Record<string, unknown>;
  const cause = typeof l.cause === "string" ? l.cause : typeof l.reason === "string" ? l.reason : JSON.stringify(l).slice(0, 200);
  return { cause, oom: /oom/i.test(cause) || l.oom === true || l.oomKilled === true };
}

/**
 * The row is about to go from RUNNING to what the host reports: an unexpected stop (the
 * panel wanted it running, no suspension, no job at work) becomes a crash or OOM event.
 * Returns the event to write with the row, or null.
 */
export function unexpectedStopEvent(row: { id: string; name: string; state: string; desiredState: string; suspended: boolean }, observed: VserverInfo | undefined) {
  if (!observed || row.state !== "RUNNING" || observed.state !== "stopped") return null;
  if (row.desiredState !== "RUNNING" || row.suspended) return null;
  // A halt from inside is the guest's own decision (the host records it as desired "stopped").
  if (observed.desired?.state === "stopped" && observed.desired.by === "guest") return null;
  const { cause, oom } = exitCause(observed);
  return { type: oom ? ("server.oom_killed" as const) : ("server.crashed" as const), vserverId: row.id, data: { name: row.name, cause } };
}

/** Marks the host online or offline; a change from one to the other is an event. */
export async function recordHostReachability(db: Db, host: { id: string; status: string }, reachable: boolean): Promise<void> {
  const status = reachable ? "ONLINE" : "OFFLINE";
  const changed = (host.status === "ONLINE" && !reachable) || (host.status === "OFFLINE" && reachable);
  await db.$transaction(async (tx) => {
    await tx.host.update({ where: { id: host.id }, data: reachable ? { status, lastSeenAt: new Date() } : { status } });
    if (changed) await recordEvent(tx, { type: reachable ? "host.online" : "host.offline", hostId: host.id });
  });
}
