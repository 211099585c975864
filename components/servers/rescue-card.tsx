"use client";
/**
 * Rescue mode on the server page: start it (the server boots the host's rescue system
 * with its own root at /mnt; the one-time root password is shown here once and kept
 * nowhere), see until when it lasts, end it. Support sees the state and no buttons.
 */
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { useConfirm } from "@/components/ui/confirm-dialog";
import { endRescueAction, startRescueAction } from "@/lib/actions/servers/rescue-action";
import { formatDateTime } from "@/lib/format";
import { SshKeyPicker, type PickableKey } from "./ssh-key-picker";

/** The rescue card. */
export function RescueCard({
  serverId,
  name,
  rescueUntil,
  canChange,
  canStart,
  sshKeys,
}: {
  serverId: string;
  name: string;
  /** ISO end of the running rescue; null: not in rescue. */
  rescueUntil: string | null;
  /** Owner or provider (support only reads). */
  canChange: boolean;
  /** The server is settled (running or stopped, not suspended) and no job runs. */
  canStart: boolean;
  /** The actor's own account keys (none chosen: every key of the owner's account). */
  sshKeys: PickableKey[];
}) {
  const router = useRouter();
  const { dialog, ask } = useConfirm();
  const [keyIds, setKeyIds] = useState<string[]>([]);
  const [shown, setShown] = useState<{ password: string; until: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  return (
    <div className="space-y-3 text-sm" data-testid="rescue-card" data-rescue={rescueUntil ? "true" : "false"}>
      {rescueUntil ? (
        <p role="status" data-testid="rescue-status" className="rounded-md bg-amber-50 px-3 py-2 text-amber-900 dark:bg-amber-950 dark:text-amber-100">
          <strong>Rescue mode</strong> until {formatDateTime(rescueUntil)}: the server runs the rescue system; its own root is mounted at <code>/mnt</code>. Ending it (or a normal start) boots the server from its own root.
        </p>
      ) : (
        <p className="text-slate-500">
          Boots a small rescue system (busybox) with the server&apos;s own root mounted at <code>/mnt</code>, on its own addresses and in the console, to repair a system that no longer starts. It ends when you end it, on a normal start, or by itself after the time your provider set.
        </p>
      )}
      {shown ? (
        <div role="status" data-testid="rescue-password-box" className="rounded-md bg-slate-100 px-3 py-2 dark:bg-slate-800">
          <p>
            Root password of the rescue system: <code data-testid="rescue-password" className="font-mono font-semibold">{shown.password}</code>
          </p>
          <p className="text-xs text-slate-500">Shown only this once; it is kept nowhere. The rescue ends by itself at {formatDateTime(shown.until)}.</p>
        </div>
      ) : null}
      {error ? (
        <p role="alert" className="text-red-700 dark:text-red-300">
          {error}
        </p>
      ) : null}
      {canChange && !rescueUntil && canStart ? (
        <>
          <SshKeyPicker keys={sshKeys} chosen={keyIds} onChange={setKeyIds} />
          <Button
            type="button"
            look="secondary"
            disabled={pending}
            data-testid="rescue-start"
            onClick={async () => {
              const sure = await ask({
                title: `Start ${name} in rescue mode?`,
                consequence: "The server is shut down and boots the rescue system instead; its own root is at /mnt there. Nothing on its disk changes unless you change it.",
                confirmLabel: "Start rescue",
              });
              if (!sure) return;
              setError(null);
              start(async () => {
                const r = await startRescueAction(serverId, keyIds.length ? { sshKeyIds: keyIds } : {});
                if (r.ok) {
                  setShown({ password: r.data.rootPassword, until: r.data.until });
                  router.refresh();
                } else setError(r.message);
              });
            }}
          >
            {pending ? "Starting…" : "Start rescue mode"}
          </Button>
        </>
      ) : null}
      {canChange && rescueUntil ? (
        <Button
          type="button"
          look="primary"
          disabled={pending}
          data-testid="rescue-end"
          onClick={() => {
            setError(null);
            start(async () => {
              const r = await endRescueAction(serverId);
              if (r.ok) {
                setShown(null);
                router.refresh();
              } else setError(r.message);
            });
          }}
        >
          {pending ? "Ending…" : "End rescue mode"}
        </Button>
      ) : null}
      {dialog}
    </div>
  );
}
