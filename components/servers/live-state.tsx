"use client";
/** The server's state, kept live over socket.io; refreshes the page when it changes. */
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
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
  return <StateBadge state={now.state} suspended={now.suspended} />;
}
