"use client";
/**
 * The state of the page's socket.io connection, for every component that shows live
 * data to say when it is not live and why. socket.io reconnects by itself after a
 * network error, but not after the panel refused the handshake (an origin it does not
 * accept, no session) nor after the panel hung up: those are retried here, with
 * backoff, so nothing waits forever for a socket that is never coming.
 */
import { useSyncExternalStore } from "react";
import type { Socket } from "socket.io-client";
import { forbiddenOrigin, parseRefusal } from "@/lib/protocol/realtime-refusals";

/** Where the page's live connection is. */
export interface RealtimeStatus {
  state: "connecting" | "connected" | "failed";
  /** Why it is not connected, for a person (when failed). */
  reason: string | null;
  /** When the next attempt this module scheduled starts (ms since the epoch), if one is. */
  retryAt: number | null;
}

const initial: RealtimeStatus = { state: "connecting", reason: null, retryAt: null };
let status = initial;
const listeners = new Set<() => void>();

function set(next: RealtimeStatus): void {
  status = next;
  for (const l of listeners) l();
}

/** The longest wait between two attempts after a refusal. */
const maxRetryMs = 30_000;

/** What a `connect_error` or `disconnect` means, in words for the person at the page. */
export function describeRealtimeError(message: string): string {
  const refusal = parseRefusal(message);
  if (refusal?.code === forbiddenOrigin) return `the panel refused the live connection from this address${refusal.reason ? `: ${refusal.reason}` : ""}`;
  if (refusal) return "the panel refused the live connection: the session has ended. Sign in again";
  if (message === "timeout") return "the panel did not answer the live connection in time";
  if (message === "io server disconnect") return "the panel ended the live connection";
  if (/^(transport close|transport error|ping timeout)$/.test(message)) return `the live connection to the panel was lost (${message})`;
  return `cannot reach the panel for live updates (${message})`;
}

// One socket per page (use-realtime), so one retry schedule.
let attempts = 0;
let retryTimer: ReturnType<typeof setTimeout> | undefined;

function retryLater(socket: Socket, reason: string): void {
  clearTimeout(retryTimer);
  // 1 s, 2 s, 4 s … up to 30 s, spread a little so many tabs do not knock at once.
  const delay = Math.min(maxRetryMs, 1000 * 2 ** attempts) * (0.8 + Math.random() * 0.4);
  attempts++;
  set({ state: "failed", reason, retryAt: Date.now() + delay });
  retryTimer = setTimeout(() => {
    set({ ...status, retryAt: null });
    socket.connect();
  }, delay);
}

/** Follows a socket's connection events into the shared status; retries what socket.io does not. */
export function watchConnection(socket: Socket): void {
  const failed = (message: string) => {
    const reason = describeRealtimeError(message);
    // `active` stays true while socket.io's own reconnection goes on (network errors).
    if (socket.active) set({ state: "failed", reason, retryAt: null });
    else retryLater(socket, reason);
  };
  socket.on("connect", () => {
    attempts = 0;
    clearTimeout(retryTimer);
    set({ state: "connected", reason: null, retryAt: null });
  });
  socket.on("connect_error", (error: Error) => failed(error.message));
  socket.on("disconnect", (why: string) => {
    if (why !== "io client disconnect") failed(why);
  });
}

/** Tries again now (the person's "Retry now"). */
export function retryRealtimeNow(socket: Socket): void {
  if (socket.connected) return;
  clearTimeout(retryTimer);
  set({ ...status, retryAt: null });
  if (socket.active) socket.disconnect();
  socket.connect();
}

/** The page's connection status now. */
export function realtimeStatus(): RealtimeStatus {
  return status;
}

/** The page's connection status, re-rendering on change. */
export function useRealtimeStatus(): RealtimeStatus {
  return useSyncExternalStore(
    (onChange) => {
      listeners.add(onChange);
      return () => listeners.delete(onChange);
    },
    realtimeStatus,
    () => initial,
  );
}
