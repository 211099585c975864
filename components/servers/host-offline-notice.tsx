/** Says on a server's page that its host is offline: what is shown is the last known state, and changes wait. */
import { lastSeenAge } from "@/lib/server/hosts/host-offline";

/** The notice, or nothing when the host is not known to be offline. */
export function HostOfflineNotice({ host }: { host: { name: string; status: string; lastSeenAt: Date | null } }) {
  if (host.status !== "OFFLINE") return null;
  return (
    <p role="status" data-testid="host-offline" className="mb-4 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100">
      Host {host.name} is offline (last answered {lastSeenAge(host.lastSeenAt)}). This page shows the last known state; changes to the server are refused until the host is back, except a start or stop you choose to have done then.
    </p>
  );
}
