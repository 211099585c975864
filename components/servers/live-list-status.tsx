"use client";
/**
 * Live status cells of a server list: the page's rows ask once for all their servers
 * (`servers.watch`) and each cell shows its own server's status as it changes — a
 * terminated server turns "deleted" without a reload.
 */
import { useEffect, useState } from "react";
import type { ServerStatus } from "@/lib/protocol/realtime";
import { sendRealtime, useRealtime } from "@/components/jobs/use-realtime";
import { ServerStatusView } from "./server-status-view";

/** Watches the listed servers (render once per list). */
export function WatchServerList({ serverIds }: { serverIds: string[] }) {
  const key = serverIds.join(",");
  useRealtime(
    () => undefined,
    () => void sendRealtime({ type: "servers.watch", serverIds: key ? key.split(",") : [] }),
  );
  useEffect(() => {
    void sendRealtime({ type: "servers.watch", serverIds: key ? key.split(",") : [] });
  }, [key]);
  return null;
}

/** One row's live status. */
export function LiveStatusCell({ serverId, initial }: { serverId: string; initial: ServerStatus }) {
  const [status, setStatus] = useState<ServerStatus | null>(initial);
  useRealtime(
    (msg) => {
      if (msg.type === "server.state" && msg.serverId === serverId) setStatus(msg.status);
    },
    () => undefined,
  );
  return <ServerStatusView status={status} compact />;
}
