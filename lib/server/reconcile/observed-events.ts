/**
 * Events the reconciler sees on the hosts rather than makes: a server that was running
 * and is found stopped although nobody decided so (a crash, an OOM kill of its init — the
 * cause as the host's agent recorded the init's exit), and a host that stops or starts
 * answering. Each is written with the row change that records it, in one transaction.
 */
import type { Host, HostStatus } from "@/generated/prisma/sqlite/client";
import type { Db } from "@/lib/db/client";
import type { LastExit, VserverInfo } from "@/lib/protocol/vservers";
import { recordEvent } from "@/lib/server/events/record-event";

/** The host's words for an exit (lib/protocol `lastExit`). */
function describeLastExit(last: LastExit): string {
  const what =
    last.cause === "oom"
      ? `its init was killed by the OOM killer (${last.oomKills ?? "?"} OOM kills in the server)`
      : last.cause === "signal"
        ? `its init was killed by signal ${last.signal ?? "?"}`
        : last.cause === "exit"
          ? `its init exited with status ${last.exitCode ?? "?"}`
          : last.cause;
  const then = last.action === "restart-scheduled" ? `; the host restarts it after ${last.restartDelaySec ?? "?"} s` : last.action === "restart" ? "; the host restarted it" : "";
  return `${what}${then}`;
}

/** Whether the host's last exit record reports a failure (not the guest's reboot, halt or clean exit). */
function isUnexpected(last: LastExit): boolean {
  return last.cause === "oom" || last.cause === "signal" || (last.cause === "exit" && last.exitCode !== 0);
}

type ObservedRow = { id: string; name: string; state: string; desiredState: string; suspended: boolean; stateChangedAt?: Date | null };

/**
 * An unexpected stop the host reports for a server the panel wants running (no
 * suspension, no job at work): the row goes from RUNNING to stopped, or the host's record
 * of the last exit is a failure newer than the row's last state change — a crash the
 * host's restart policy already undid still counts, once (the caller moves the row's
 * `stateChangedAt` on with the event). It becomes a crash or OOM event with the cause the
 * host recorded. Returns the event to write with the row, or null.
 */
export function unexpectedStopEvent(row: ObservedRow, observed: VserverInfo | undefined) {
  if (!observed || row.desiredState !== "RUNNING" || row.suspended) return null;
  const last = observed.lastExit ?? null;
  const known = row.stateChangedAt ?? null;
  const fresh = last !== null && isUnexpected(last) && (known === null || Date.parse(last.at) > known.getTime());
  const stoppedNow = row.state === "RUNNING" && observed.state === "stopped";
  if (!fresh && !stoppedNow) return null;
  if (!fresh && row.state !== "RUNNING") return null;
  // A halt from inside is the guest's own decision (the host records it as desired "stopped").
  if (!fresh && observed.desired?.state === "stopped" && observed.desired.by === "guest") return null;
  if (fresh) {
    const type = last.cause === "oom" ? ("server.oom_killed" as const) : ("server.crashed" as const);
    return { type, vserverId: row.id, data: { name: row.name, cause: describeLastExit(last), exitAt: last.at, restarting: last.action !== "stopped" } };
  }
  return { type: "server.crashed" as const, vserverId: row.id, data: { name: row.name, cause: "unknown (the host did not say why)" } };
}

/** Marks the host online or offline; a change from one to the other is an event. */
export async function recordHostReachability(db: Db, host: Pick<Host, "id" | "status">, reachable: boolean): Promise<void> {
  const status: HostStatus = reachable ? "ONLINE" : "OFFLINE";
  const changed = (host.status === "ONLINE" && !reachable) || (host.status === "OFFLINE" && reachable);
  const data = reachable ? { status, lastSeenAt: new Date() } : { status };
  await db.$transaction(async (tx) => {
    // Conditional on the status read before the probe: the host monitor of every panel
    // instance and the reconciler all probe the host, and when they see the same change
    // only the one whose write makes it records the event (a concurrent writer waits on
    // the row, then finds the status changed and matches nothing).
    const moved = await tx.host.updateMany({ where: { id: host.id, status: host.status }, data });
    if (moved.count === 0) await tx.host.update({ where: { id: host.id }, data });
    if (changed && moved.count === 1) await recordEvent(tx, { type: reachable ? "host.online" : "host.offline", hostId: host.id });
  });
}
