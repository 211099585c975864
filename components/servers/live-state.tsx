"use client";
/** The server page's status, kept live over socket.io; refreshes the page when the state changes; "not live" beside it when the connection is down. */
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import type { ServerStatus } from "@/lib/protocol/realtime";
import { RealtimeNotice } from "@/components/jobs/realtime-notice";
import { sendRealtime, useRealtime } from "@/components/jobs/use-realtime";
import { ServerStatusView } from "./server-status-view";

/** Live status of one server. */
export function LiveState({ serverId, initial }: { serverId: string; initial: ServerStatus }) {
  const router = useRouter();
  const [now, setNow] = useState<ServerStatus | null>(initial);
  useRealtime(
    (msg) => {
      if (msg.type !== "server.state" || msg.serverId !== serverId) return;
      setNow((old) => {
        if (old?.state !== msg.status?.state || old?.suspended !== msg.status?.suspended) router.refresh();
        return msg.status;
      });
    },
    () => void sendRealtime({ type: "server.watch", serverId }),
  );
  useEffect(() => () => void sendRealtime({ type: "server.unwatch", serverId }), [serverId]);
  return (
    <span className="inline-flex items-center gap-1">
      <ServerStatusView status={now} />
      <RealtimeNotice compact />
    </span>
  );
}
