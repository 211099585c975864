/**
 * A server's status as every page and live update shows it (lib/protocol/realtime's
 * serverStatus): one function, so the list, the server page and the socket agree.
 */
import type { ServerStatus } from "@/lib/protocol/realtime";

/** The columns the status is made from. */
export const serverStatusSelect = {
  state: true,
  suspended: true,
  lastError: true,
  desiredState: true,
  observedAt: true,
  driftNote: true,
  rescueUntil: true,
  host: { select: { status: true, lastSeenAt: true } },
} as const;

/** A row with {@link serverStatusSelect}'s columns. */
export interface ServerStatusRow {
  state: string;
  suspended: boolean;
  lastError: string | null;
  desiredState: "RUNNING" | "STOPPED";
  observedAt: Date | null;
  driftNote: string | null;
  rescueUntil: Date | null;
  host: { status: string; lastSeenAt: Date | null };
}

/** The status of a row. */
export function serverStatusOf(row: ServerStatusRow): ServerStatus {
  return {
    state: row.state,
    suspended: row.suspended,
    lastError: row.lastError,
    desiredState: row.desiredState,
    observedAt: row.observedAt?.toISOString() ?? null,
    driftNote: row.driftNote,
    hostOnline: row.host.status === "ONLINE",
    hostSeenAt: row.host.lastSeenAt?.toISOString() ?? null,
    rescueUntil: row.rescueUntil?.toISOString() ?? null,
  };
}
