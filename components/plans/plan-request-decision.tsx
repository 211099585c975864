"use client";
/**
 * Approve or reject one plan-change request, with an answer for the customer. An
 * approval that needs the server stopped and started (a disk change the host cannot make
 * live) is refused by the server with that notice; the provider then confirms it here.
 */
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { decidePlanChangeAction } from "@/lib/actions/servers/decide-plan-change-action";

/** The decision controls. */
export function PlanRequestDecision({ requestId, serverId }: { requestId: string; serverId: string }) {
  const router = useRouter();
  const [answer, setAnswer] = useState("");
  const [restartNotice, setRestartNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, start] = useTransition();
  const decide = (approve: boolean, confirmRestart = false) =>
    start(async () => {
      setError(null);
      const r = await decidePlanChangeAction(requestId, { approve, answer, confirmRestart });
      if (!r.ok) {
        if (r.field === "confirmRestart") setRestartNotice(r.message);
        else setError(r.message);
        return;
      }
      if (r.data.jobId) router.push(`/servers/${serverId}?job=${r.data.jobId}`);
      else router.refresh();
    });
  return (
    <div className="flex flex-wrap items-start gap-2">
      <input value={answer} onChange={(e) => setAnswer(e.target.value)} maxLength={500} placeholder="Answer for the customer (optional)" aria-label="Answer" className="min-w-64 flex-1 rounded-md px-3 py-2 ring-1 ring-slate-300 dark:bg-slate-900 dark:ring-slate-700" />
      {restartNotice ? (
        <span className="flex flex-col gap-2">
          <span className="text-amber-800 dark:text-amber-200">{restartNotice}</span>
          <Button disabled={busy} onClick={() => decide(true, true)}>
            Approve: stop, change and start
          </Button>
        </span>
      ) : (
        <Button disabled={busy} onClick={() => decide(true)} data-testid="approve-request">
          Approve
        </Button>
      )}
      <Button look="secondary" disabled={busy} onClick={() => decide(false)} data-testid="reject-request">
        Reject
      </Button>
      {error ? (
        <span role="alert" className="w-full text-red-700">
          {error}
        </span>
      ) : null}
    </div>
  );
}
