"use client";
/** Start/stop/restart for owners; suspend/unsuspend/terminate for providers. Each queues a job. */
import { useRouter } from "next/navigation";
import { useState } from "react";
import { ActionButton } from "@/components/ui/action-button";
import { deferPowerAction } from "@/lib/actions/servers/defer-power-action";
import { powerAction } from "@/lib/actions/servers/power-action";
import { SuspendControl } from "./suspend-control";

/**
 * While the host is offline (the page's notice says since when): nothing can be done now,
 * so the person may record a start or stop for when the host is back, and is told so.
 */
function WhenHostBack({ serverId, name, state, suspended }: { serverId: string; name: string; state: string; suspended: boolean }) {
  const [told, setTold] = useState<string | null>(null);
  if (told) {
    return (
      <p role="status" data-testid="power-when-back" className="text-sm text-slate-600 dark:text-slate-300">
        {told}
      </p>
    );
  }
  return (
    <div className="space-y-2" data-testid="power-when-back">
      <div className="flex flex-wrap gap-2">
        {state !== "RUNNING" && !suspended ? (
          <ActionButton look="secondary" action={() => deferPowerAction(serverId, "start")} onDone={(r) => setTold(r.message)}>
            Start when the host is back
          </ActionButton>
        ) : null}
        {state === "RUNNING" ? (
          <ActionButton look="secondary" confirm={{ title: `Stop ${name} when its host is back?`, consequence: "It keeps running until the host answers again; then its programs are asked to shut down.", look: "primary" }} action={() => deferPowerAction(serverId, "stop")} onDone={(r) => setTold(r.message)}>
            Stop when the host is back
          </ActionButton>
        ) : null}
      </div>
    </div>
  );
}

/** Power buttons; while the host is offline, the choice to act when it is back. */
export function PowerButtons({ serverId, name, state, suspended, provider, hostOffline = false }: { serverId: string; name: string; state: string; suspended: boolean; provider: boolean; hostOffline?: boolean }) {
  const router = useRouter();
  if (hostOffline) return <WhenHostBack serverId={serverId} name={name} state={state} suspended={suspended} />;
  const go = (data: { jobId: string }) => router.push(`/servers/${serverId}?job=${data.jobId}`);
  const busy = ["BUILDING", "DELETING", "STARTING", "STOPPING"].includes(state);
  return (
    <div className="flex flex-wrap gap-2" data-testid="power-buttons">
      {state !== "RUNNING" && !suspended ? (
        <ActionButton disabled={busy} action={() => powerAction(serverId, "start")} onDone={go}>
          Start
        </ActionButton>
      ) : null}
      {state === "RUNNING" ? (
        <>
          <ActionButton look="secondary" disabled={busy} action={() => powerAction(serverId, "restart")} onDone={go}>
            Restart
          </ActionButton>
          <ActionButton look="secondary" disabled={busy} confirm={{ title: `Stop ${name}?`, consequence: "Its programs are asked to shut down; the server is unreachable until it is started again.", look: "primary" }} action={() => powerAction(serverId, "stop")} onDone={go}>
            Stop
          </ActionButton>
        </>
      ) : null}
      {provider ? (
        <>
          {suspended ? (
            <ActionButton look="secondary" action={() => powerAction(serverId, "unsuspend")} onDone={go}>
              Unsuspend
            </ActionButton>
          ) : (
            <SuspendControl serverId={serverId} name={name} onDone={go} />
          )}
          <ActionButton look="danger" disabled={busy} confirm={{ title: `Terminate ${name}?`, consequence: `The server stops, its disk and everything on it is deleted, and its addresses return to the pool. This cannot be undone.`, typeToConfirm: name }} action={() => powerAction(serverId, "terminate")} onDone={() => router.push("/servers")}>
            Terminate
          </ActionButton>
        </>
      ) : null}
    </div>
  );
}
