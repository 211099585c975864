"use client";
/**
 * The browser's socket.io connection, shared by every component of the page, with the
 * message types of lib/protocol/realtime. socket.io-client is loaded only in the browser.
 * Its connection state (and why it is down) is in ./realtime-status, shown by RealtimeNotice.
 */
import { useEffect, useLayoutEffect, useRef } from "react";
import type { Socket } from "socket.io-client";
import { realtimeEvent, serverMessage, type ClientMessage, type ServerMessage } from "@/lib/protocol/realtime";
import { watchConnection } from "./realtime-status";

let shared: Promise<Socket> | null = null;

/** The page's socket (created on first use). */
export function realtimeSocket(): Promise<Socket> {
  shared ??= import("socket.io-client").then(({ io }) => {
    const socket = io({ transports: ["websocket", "polling"], timeout: 10_000 });
    watchConnection(socket);
    return socket;
  });
  return shared;
}

/** Sends a message. */
export async function sendRealtime(msg: ClientMessage): Promise<void> {
  (await realtimeSocket()).emit(realtimeEvent, msg);
}

/** Subscribes to messages while mounted; `onConnect` runs on every (re)connection (re-send watches there). */
export function useRealtime(onMessage: (msg: ServerMessage) => void, onConnect: () => void): void {
  const handler = useRef(onMessage);
  const connect = useRef(onConnect);
  // The latest callbacks, without re-subscribing on every render.
  useLayoutEffect(() => {
    handler.current = onMessage;
    connect.current = onConnect;
  });
  useEffect(() => {
    let socket: Socket | null = null;
    let alive = true;
    const onMsg = (raw: unknown) => {
      const parsed = serverMessage.safeParse(raw);
      if (parsed.success) handler.current(parsed.data);
    };
    const onConn = () => connect.current();
    void realtimeSocket().then((s) => {
      if (!alive) return;
      socket = s;
      s.on(realtimeEvent, onMsg);
      s.on("connect", onConn);
      if (s.connected) onConn();
    });
    return () => {
      alive = false;
      socket?.off(realtimeEvent, onMsg);
      socket?.off("connect", onConn);
    };
  }, []);
}
