"use client";
/**
 * "Move to host…" (admins): the target host with its free capacity, and the method for a
 * running server: pre-copy (copied while it runs, stopped only for a last round of what
 * changed; the default) or offline (stopped for the whole copy). A stopped server is
 * simply copied. The job's live progress (rounds, bytes received) shows on this page
 * when it is queued. When the server runs, the downtime to expect is the median of the
 * last moves' by the chosen method (the job records each). Where some of its addresses' pools are not linked to the target, the admin is
 * told which addresses would change and must choose new ones from the target's pools.
 */
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { useConfirm } from "@/components/ui/confirm-dialog";
import { migrateServerAction } from "@/lib/actions/servers/migrate-server-action";
import { formatMb } from "@/lib/format";
import type { MigrationTarget } from "@/lib/server/migration/migration-targets";
import type { MoveMethod, RecentMoveDowntime } from "@/lib/server/migration/recent-move-downtime";
import { AlertLine } from "@/components/ui/outcome-line";

/** "4.5 s" or "2 min 10 s". */
function formatSeconds(ms: number): string {
  const s = Math.max(0.1, ms / 1000);
  return s < 60 ? `${s.toFixed(1)} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

const select = "mt-1 block w-full rounded-md border-0 px-3 py-2 text-sm ring-1 ring-inset ring-slate-300 dark:bg-slate-900 dark:ring-slate-700";

/** The move control. */
export function MoveToHostCard({
  serverId,
  running,
  targets,
  recentDowntime = null,
}: {
  serverId: string;
  running: boolean;
  targets: MigrationTarget[];
  /** The median downtime of the last moves by each method (for a running server). */
  recentDowntime?: Record<MoveMethod, RecentMoveDowntime | null> | null;
}) {
  const router = useRouter();
  const usable = targets.filter((t) => !t.refusal);
  const [target, setTarget] = useState(usable[0]?.id ?? "");
  const [error, setError] = useState<string | null>(null);
  const [newAddresses, setNewAddresses] = useState(false);
  const [method, setMethod] = useState<MoveMethod>("precopy");
  const [pending, start] = useTransition();
  const { dialog, ask } = useConfirm();
  if (targets.length === 0) return <p className="text-sm text-slate-500">There is no other host to move it to.</p>;
  const chosen = targets.find((t) => t.id === target);
  const changing = chosen?.changingAddresses ?? [];
  return (
    <div className="space-y-3 text-sm" data-testid="move-to-host">
      <label className="block">
        Target host
        <select className={select} value={target} onChange={(e) => setTarget(e.target.value)}>
          {targets.map((t) => (
            <option key={t.id} value={t.id} disabled={t.refusal !== null}>
              {`${t.name}: ${formatMb(Math.max(0, t.freeMemoryMb))} memory free, ${t.servers} of ${t.maxServers} servers${t.refusal ? ` (${t.refusal})` : ""}`}
            </option>
          ))}
        </select>
      </label>
      {running ? (
        <fieldset className="space-y-1" data-testid="move-method">
          <legend className="font-medium">Method</legend>
          <label className="flex items-start gap-2">
            <input type="radio" name="move-method" className="mt-1" checked={method === "precopy"} onChange={() => setMethod("precopy")} />
            <span>
              <strong>Pre-copy</strong> (recommended): its disk is copied while it runs, then what changed meanwhile, in rounds; it is stopped only for the last, small round and starts on the target host.
            </span>
          </label>
          <label className="flex items-start gap-2 text-slate-400" data-testid="move-method-live">
            <input type="radio" name="move-method" className="mt-1" disabled checked={false} onChange={() => undefined} />
            <span>
              <strong>Live</strong> (CRIU, the server keeps its processes): not possible{chosen ? ` to ${chosen.name}` : ""}: {chosen?.liveUnavailable ?? "choose a host"}.
            </span>
          </label>
          <label className="flex items-start gap-2">
            <input type="radio" name="move-method" className="mt-1" checked={method === "offline"} onChange={() => setMethod("offline")} />
            <span>
              <strong>Offline</strong>: it stops, its whole disk is copied, and it starts there; it is down for the whole copy.
            </span>
          </label>
        </fieldset>
      ) : (
        <p className="text-slate-500">The stopped server is copied to the target host and stays stopped.</p>
      )}
      <p className="text-slate-500">If anything fails before the switch, it stays on this host{running ? " and runs again" : ""}.</p>
      {running && recentDowntime?.[method] ? (
        <p className="text-slate-500" data-testid="move-expected-downtime">
          {`Expect it to be down for about ${formatSeconds(recentDowntime[method].medianMs)}${recentDowntime[method].moves === 1 ? `, as the last ${method === "precopy" ? "pre-copy" : "offline"} move of a running server was` : ` (the median of the last ${recentDowntime[method].moves} ${method === "precopy" ? "pre-copy" : "offline"} moves of running servers)`}. ${method === "precopy" ? "A server that writes much while it is copied takes longer" : "A larger disk takes longer"}; the job shows the real figure when it ends.`}
        </p>
      ) : null}
      {changing.length ? (
        <label className="flex items-start gap-2 rounded-md bg-amber-50 p-3 text-amber-900 dark:bg-amber-950 dark:text-amber-200" data-testid="move-new-addresses">
          <input type="checkbox" className="mt-1" checked={newAddresses} onChange={(e) => setNewAddresses(e.target.checked)} />
          <span>
            {`${changing.join(", ")} cannot go to ${chosen?.name} (${changing.length === 1 ? "its pool is" : "their pools are"} not linked to it). Give the server new addresses from ${chosen?.name}'s pools: the old ones return to their pool, and DNS records pointing at them must be changed.`}
          </span>
        </label>
      ) : null}
      <AlertLine text={error} className="text-red-700" />
      {dialog}
      <Button
        type="button"
        disabled={pending || !target || (changing.length > 0 && !newAddresses)}
        onClick={async () => {
          const sure = await ask({
            title: `Move this server to ${chosen?.name}?`,
            consequence: `${running ? (method === "precopy" ? "It keeps running while its disk is copied, and is stopped only for the last round of changes before it starts there." : "It is stopped during the copy and starts again there.") : "It stays stopped."}${changing.length === 1 ? ` Its address ${changing[0]} changes.` : changing.length ? ` Its addresses ${changing.join(", ")} change.` : ""}`,
            confirmLabel: "Move",
            look: "primary",
          });
          if (!sure) return;
          setError(null);
          start(async () => {
            const r = await migrateServerAction(serverId, target, changing.length > 0 && newAddresses, method);
            if (r.ok) router.push(`/servers/${serverId}?job=${r.data.jobId}`);
            else setError(r.message);
          });
        }}
      >
        {pending ? "Queueing…" : "Move to host…"}
      </Button>
    </div>
  );
}
