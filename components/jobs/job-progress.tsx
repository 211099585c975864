"use client";
/**
 * A job's progress bar and log, live over socket.io. After a reload it starts again
 * from the first line (the log is in the database), so nothing is lost. When the live
 * connection is refused or lost it says so above the bar (RealtimeNotice).
 */
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { Badge } from "@/components/ui/badge";
import type { ServerMessage } from "@/lib/protocol/realtime";
import { RealtimeNotice } from "./realtime-notice";
import { sendRealtime, useRealtime } from "./use-realtime";

type JobUpdate = Extract<ServerMessage, { type: "job.update" }>;

/** Job progress. `refreshOnEnd` reloads the page's server data when the job ends. */
export function JobProgress({ jobId, initial, refreshOnEnd = true }: { jobId: string; initial?: JobUpdate["job"]; refreshOnEnd?: boolean }) {
  const router = useRouter();
  const [job, setJob] = useState<JobUpdate["job"] | null>(initial ?? null);
  const [lines, setLines] = useState<{ seq: number; text: string }[]>([]);
  const seen = useRef(0);
  const lastState = useRef<string | null>(initial?.state ?? null);
  const logRef = useRef<HTMLPreElement>(null);

  useRealtime(
    (msg) => {
      if (msg.type !== "job.update" || msg.job.id !== jobId) return;
      const fresh = msg.lines.filter((l) => l.seq > seen.current);
      if (fresh.length) {
        seen.current = fresh.at(-1)!.seq;
        setLines((old) => [...old, ...fresh].slice(-2000));
      }
      // The page's own data is reloaded once when this job is seen ending. Decided here,
      // from a ref, not inside a state updater: React may run an updater during render (or
      // twice), where a router refresh is a side effect it may drop or warn about.
      const before = lastState.current;
      lastState.current = msg.job.state;
      setJob(msg.job);
      if (refreshOnEnd && before !== msg.job.state && (msg.job.state === "SUCCEEDED" || msg.job.state === "FAILED")) router.refresh();
    },
    () => void sendRealtime({ type: "job.watch", jobId, sinceSeq: seen.current }),
  );
  useEffect(() => () => void sendRealtime({ type: "job.unwatch", jobId }), [jobId]);
  useEffect(() => {
    logRef.current?.scrollTo({ top: logRef.current.scrollHeight });
  }, [lines]);

  const state = job?.state ?? "QUEUED";
  const tone = state === "SUCCEEDED" ? "green" : state === "FAILED" ? "red" : "indigo";
  return (
    <div data-testid="job-progress" data-state={state} className="space-y-2">
      <RealtimeNotice />
      <div className="flex items-center gap-3">
        <Badge tone={tone}>{state.toLowerCase()}</Badge>
        <div className="h-2 flex-1 overflow-hidden rounded bg-slate-200 dark:bg-slate-800" role="progressbar" aria-valuenow={job?.progress ?? 0} aria-valuemin={0} aria-valuemax={100}>
          <div className={`h-full ${state === "FAILED" ? "bg-red-500" : "bg-indigo-500"} transition-all`} style={{ width: `${job?.progress ?? 0}%` }} />
        </div>
        <span className="w-10 text-right text-xs text-slate-500">{job?.progress ?? 0}%</span>
      </div>
      {job?.error ? (
        <p role="alert" data-testid="job-error" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 dark:bg-red-950 dark:text-red-300">
          {job.error}
        </p>
      ) : null}
      <pre ref={logRef} data-testid="job-log" className="max-h-72 overflow-auto rounded-md bg-slate-950 p-3 font-mono text-xs leading-5 text-slate-200">
        {lines.length ? lines.map((l) => l.text).join("\n") : "waiting for the first log line…"}
      </pre>
    </div>
  );
}
