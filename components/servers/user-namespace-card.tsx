"use client";
/**
 * How the server maps user ids: its own user namespace (guest root is an unprivileged
 * host uid) or shared uids (guest root is host root to whatever it can reach: less
 * safe). Admins may switch; the host applies it at the server's next start.
 */
import { ActionButton } from "@/components/ui/action-button";
import { setUserNamespaceAction } from "@/lib/actions/servers/set-user-namespace-action";

/** The mode, and the switch (`canSwitch`: an admin, the server neither building nor being deleted). */
export function UserNamespaceCard({ serverId, name, enabled, canSwitch, running }: { serverId: string; name: string; enabled: boolean; canSwitch: boolean; running: boolean }) {
  const later = running ? " It takes effect when the server restarts." : "";
  return (
    <div className="space-y-3 text-sm" data-testid="user-namespace">
      {enabled ? (
        <p>
          <span className="font-semibold">Own user namespace</span> (recommended): root inside is an unprivileged user on the host, with a uid range of its own.
        </p>
      ) : (
        <p role="status" className="rounded-md bg-amber-50 px-3 py-2 text-amber-900 dark:bg-amber-950 dark:text-amber-100">
          <span className="font-semibold">Shared uids (less safe)</span>: root inside is root on the host for every file the server can reach, and a directory shared with another such server lets each take over the other.
        </p>
      )}
      {canSwitch ? (
        enabled ? (
          <ActionButton
            look="danger"
            confirm={{ title: `Switch ${name} to shared uids?`, consequence: `This is less safe: its root becomes the host's root for every file it can reach, and a directory shared with another such server lets each take over the other.${later}`, confirmLabel: "Switch to shared uids" }}
            action={() => setUserNamespaceAction(serverId, false)}
          >
            Switch to shared uids (less safe)
          </ActionButton>
        ) : (
          <ActionButton look="secondary" confirm={{ title: `Give ${name} its own user namespace?`, consequence: `Its files are shifted to a uid range of its own.${later}`, look: "primary", confirmLabel: "Give it its own user namespace" }} action={() => setUserNamespaceAction(serverId, true)}>
            Give it its own user namespace
          </ActionButton>
        )
      ) : null}
    </div>
  );
}
