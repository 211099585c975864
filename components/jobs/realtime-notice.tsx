"use client";
/**
 * Says on the page when its live updates are not live: the reason the connection was
 * refused or lost, and when the next attempt comes (with a button to try now). Nothing
 * while connected; a quiet "connecting" line when the first connection takes a while.
 * `compact` is a small badge (its reason in the tooltip) for tight places.
 */
import { useEffect, useState } from "react";
import { realtimeSocket } from "./use-realtime";
import { retryRealtimeNow, useRealtimeStatus } from "./realtime-status";

/** How long a first connection may take before the page says it is still connecting. */
const slowConnectMs = 3000;

/** The notice. */
export function RealtimeNotice({ compact = false, className = "" }: { compact?: boolean; className?: string }) {
  const status = useRealtimeStatus();
  const [now, setNow] = useState(0);
  const [slow, setSlow] = useState(false);

  useEffect(() => {
    void realtimeSocket();
    const t = setTimeout(() => setSlow(true), slowConnectMs);
    return () => clearTimeout(t);
  }, []);
  useEffect(() => {
    if (status.retryAt === null) return;
    const tick = () => setNow(Date.now());
    const first = setTimeout(tick, 0);
    const t = setInterval(tick, 1000);
    return () => {
      clearTimeout(first);
      clearInterval(t);
    };
  }, [status.retryAt]);

  if (status.state === "connected") return null;
  if (status.state === "connecting") {
    if (!slow || compact) return null;
    return (
      <p role="status" data-testid="realtime-connecting" className={`text-xs text-slate-500 ${className}`}>
        Connecting to the panel for live updates…
      </p>
    );
  }
  const seconds = status.retryAt !== null && now > 0 ? Math.max(0, Math.ceil((status.retryAt - now) / 1000)) : null;
  const next = status.retryAt === null ? "Reconnecting…" : `Trying again in ${seconds ?? "a few"} s.`;
  if (compact) {
    return (
      <span role="alert" data-testid="realtime-offline" title={`Live updates are off: ${status.reason}. ${next}`} className={`rounded bg-red-100 px-1.5 py-0.5 text-xs font-medium text-red-800 dark:bg-red-950 dark:text-red-200 ${className}`}>
        not live
      </span>
    );
  }
  return (
    <div role="alert" data-testid="realtime-error" className={`flex flex-wrap items-center gap-2 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-950 dark:text-red-200 ${className}`}>
      <span>
        Live updates are off: <span data-testid="realtime-error-reason">{status.reason}</span>. {next}
      </span>
      <button type="button" className="ml-auto rounded px-2 py-0.5 text-xs font-semibold ring-1 ring-red-300 hover:bg-red-100 dark:ring-red-800 dark:hover:bg-red-900" onClick={() => void realtimeSocket().then(retryRealtimeNow)}>
        Retry now
      </button>
    </div>
  );
}
