"use client";
/**
 * A server's status as people should read it: the state its host last reported and how
 * long ago, "unknown since …" when the host cannot be reached (never a guess), what was
 * decided when the host does otherwise, and the reconciler's note on drift it could not
 * correct. The age ticks on its own, so a page left open never shows an old state as new.
 */
import { useEffect, useState } from "react";
import type { ServerStatus } from "@/lib/protocol/realtime";
import { formatDateTime } from "@/lib/format";
import { Badge } from "@/components/ui/badge";
import { StateBadge } from "./state-badge";

/** Seconds after which a state the host has not confirmed is said to be old. */
const STALE_SECONDS = 30;

function ago(iso: string, now: number): string {
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  return formatDateTime(iso);
}

function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  return now;
}

/** The status, with its age (`compact`: for table cells, details in the tooltip). */
export function ServerStatusView({ status, compact = false }: { status: ServerStatus | null; compact?: boolean }) {
  const now = useNow();
  if (!status) {
    return (
      <span data-testid="server-state" data-state="DELETED">
        <Badge tone="slate">deleted</Badge>
      </span>
    );
  }
  const transitional = ["PENDING", "BUILDING", "STARTING", "STOPPING", "DELETING"].includes(status.state);
  if (!status.hostOnline && !transitional) {
    const since = status.hostSeenAt ? formatDateTime(status.hostSeenAt) : "it was enrolled";
    return (
      <span className="inline-flex flex-wrap items-center gap-1" data-testid="server-state" data-state="UNKNOWN" title={`Last reported ${status.state.toLowerCase()}${status.observedAt ? ` at ${formatDateTime(status.observedAt)}` : ""}`}>
        <Badge tone="amber">unknown</Badge>
        {status.suspended ? <Badge tone="red">suspended</Badge> : null}
        <span className="text-xs text-slate-500">host unreachable since {since}</span>
      </span>
    );
  }
  const stale = status.observedAt !== null && !transitional && (now - Date.parse(status.observedAt)) / 1000 > STALE_SECONDS;
  const mismatch = !transitional && !status.suspended && ((status.desiredState === "RUNNING") !== (status.state === "RUNNING"));
  const age = status.observedAt ? `checked ${ago(status.observedAt, now)}` : "not yet checked by its host";
  const detail = [age, mismatch ? `should be ${status.desiredState.toLowerCase()}` : null, status.driftNote].filter(Boolean).join(" · ");
  return (
    <span className="inline-flex flex-wrap items-center gap-1" title={compact ? detail : undefined} data-stale={stale ? "true" : "false"} data-drift={status.driftNote ? "true" : "false"}>
      <StateBadge state={status.state} suspended={status.suspended} rescue={status.rescueUntil !== null} />
      {compact ? (stale || mismatch || status.driftNote ? <Badge tone="amber">{stale ? "not confirmed" : "drift"}</Badge> : null) : <span className={`text-xs ${stale ? "text-amber-700 dark:text-amber-300" : "text-slate-500"}`} data-testid="server-state-age">{detail}</span>}
    </span>
  );
}
