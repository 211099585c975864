/**
 * What the panel does about a host it knows to be offline (its last probe or
 * reconciliation could not reach the agent): pages and API calls do not wait on it —
 * reads answer at once with the last known state and its age, changes are refused with
 * "host offline" — so no page hangs on one host. The probe and the reconciler keep
 * asking in the background and mark it online again when it answers.
 */
import { AppError } from "@/lib/errors";

/** The longest any page or API read waits for an agent that is thought to be online. */
export const pageReadTimeoutMs = 1800;

/** The host fields these checks need. */
export interface HostLiveness {
  name: string;
  status: string;
  lastSeenAt: Date | null;
}

/** "3 min ago"-style age of the last answer, or "never". */
export function lastSeenAge(lastSeenAt: Date | null, now = Date.now()): string {
  if (!lastSeenAt) return "never";
  const s = Math.max(0, Math.round((now - lastSeenAt.getTime()) / 1000));
  if (s < 90) return `${s} s ago`;
  if (s < 90 * 60) return `${Math.round(s / 60)} min ago`;
  if (s < 36 * 3600) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} days ago`;
}

/** Whether the panel knows the host to be offline (not merely "not probed yet"). */
export function isKnownOffline(host: Pick<HostLiveness, "status">): boolean {
  return host.status === "OFFLINE";
}

/** What an offline host means for the caller: a change is refused, a read shows the last known state. */
export type OfflinePurpose = "change" | "read";

/** The error for anything that needs an offline host. */
export function hostOfflineError(host: HostLiveness, purpose: OfflinePurpose = "change"): AppError {
  const then = purpose === "change" ? "nothing was changed; try again when it is back" : "showing what was last known";
  return new AppError("HOST_OFFLINE", `host ${host.name} is offline (last answered ${lastSeenAge(host.lastSeenAt)}): ${then}`);
}

/** Throws {@link hostOfflineError} when the host is known to be offline. */
export function requireHostOnline(host: HostLiveness, purpose: OfflinePurpose = "change"): void {
  if (isKnownOffline(host)) throw hostOfflineError(host, purpose);
}
