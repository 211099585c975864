"use client";
/** The server's state, kept live over socket.io; refreshes the page when it changes; "not live" beside it when the connection is down. */
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { RealtimeNotice } from "@/components/jobs/realtime-notice";
import { sendRealtime, useRealtime } from "@/components/jobs/use-realtime";
import { StateBadge } from "./state-badge";

/** Live state badge. */
export function LiveState({ serverId, state, suspended }: { serverId: string; state: string; suspended: boolean }) {
  const router = useRouter();
  const [now, setNow] = useState({ state, suspended });
  useRealtime(
    (msg) => {
      if (msg.type !== "server.state" || msg.serverId !== serverId) return;
      setNow((old) => {
        if (old.state !== msg.state || old.suspended !== msg.suspended) router.refresh();
        return { state: msg.state, suspended: msg.suspended };
      });
    },
    () => void sendRealtime({ type: "server.watch", serverId }),
  );
  useEffect(() => () => void sendRealtime({ type: "server.unwatch", serverId }), [serverId]);
  return (
    <span className="inline-flex items-center gap-1">
      <StateBadge state={now.state} suspended={now.suspended} />
      <RealtimeNotice compact />
    </span>
  );
}
