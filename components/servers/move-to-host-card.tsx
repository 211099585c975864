"use client";
/**
 * "Move to host…" (admins): the target host with its free capacity, and the method.
 * Only the offline move exists so far (the server stops, is copied, starts there);
 * the job's live progress (bytes received) shows on this page when it is queued.
 */
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { migrateServerAction } from "@/lib/actions/servers/migrate-server-action";
import { formatMb } from "@/lib/format";
import type { MigrationTarget } from "@/lib/server/migration/migration-targets";
import { AlertLine } from "@/components/ui/outcome-line";

const select = "mt-1 block w-full rounded-md border-0 px-3 py-2 text-sm ring-1 ring-inset ring-slate-300 dark:bg-slate-900 dark:ring-slate-700";

/** The move control. */
export function MoveToHostCard({ serverId, running, targets }: { serverId: string; running: boolean; targets: MigrationTarget[] }) {
  const router = useRouter();
  const usable = targets.filter((t) => !t.refusal);
  const [target, setTarget] = useState(usable[0]?.id ?? "");
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  if (targets.length === 0) return <p className="text-sm text-slate-500">There is no other host to move it to.</p>;
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
      <p className="text-slate-500">
        Method: offline. {running ? "The server stops, its disk is copied to the target host, and it starts there; it is down for the whole copy." : "The stopped server is copied to the target host and stays stopped."} If anything
        fails before the switch, it stays on this host{running ? " and runs again" : ""}.
      </p>
      <AlertLine text={error} className="text-red-700" />
      <Button
        type="button"
        disabled={pending || !target}
        onClick={() => {
          const name = targets.find((t) => t.id === target)?.name;
          if (!window.confirm(`Move this server to ${name}?${running ? " It is stopped during the copy." : ""}`)) return;
          setError(null);
          start(async () => {
            const r = await migrateServerAction(serverId, target);
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
