"use client";
/** Start/stop/restart for owners; suspend/unsuspend/terminate for providers. Each queues a job. */
import { useRouter } from "next/navigation";
import { ActionButton } from "@/components/ui/action-button";
import { powerAction } from "@/lib/actions/servers/power-action";
import { SuspendControl } from "./suspend-control";

/** Power buttons. */
export function PowerButtons({ serverId, name, state, suspended, provider }: { serverId: string; name: string; state: string; suspended: boolean; provider: boolean }) {
  const router = useRouter();
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
