"use client";
/**
 * Moving a server to another plan from its page. Choosing a plan shows, before anything
 * changes, what the move does: each resource before and after, the addresses it adds,
 * and whether the host must stop and start the server (then the button says so and asks
 * once more). Providers change directly; a customer changes directly to the plans its
 * provider lets customers pick, and sends a request (with a note) for any other, which
 * it may withdraw while it waits.
 */
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { OutcomeLine, type Outcome } from "@/components/ui/outcome-line";
import { changePlanAction } from "@/lib/actions/servers/change-plan-action";
import { previewPlanChangeAction } from "@/lib/actions/servers/preview-plan-change-action";
import { requestPlanChangeAction } from "@/lib/actions/servers/request-plan-change-action";
import { cancelPlanChangeAction } from "@/lib/actions/servers/cancel-plan-change-action";
import type { PlanChangePreview } from "@/lib/server/vservers/change-plan";
import { formatCpuMilli, formatMb, formatPrice } from "@/lib/format";

/** A plan the server may move to. */
export interface PlanChoice {
  id: string;
  name: string;
  priceCents: number;
  currency: string;
  customerSelectable: boolean;
}

/** A pending request of this server. */
export interface PendingPlanRequest {
  id: string;
  toPlanName: string;
  note: string;
  mine: boolean;
}

const rows: { key: "cpuMilli" | "memoryMb" | "swapMb" | "diskMb" | "pids"; label: string; fmt: (n: number) => string }[] = [
  { key: "cpuMilli", label: "CPU", fmt: formatCpuMilli },
  { key: "memoryMb", label: "Memory", fmt: formatMb },
  { key: "swapMb", label: "Swap", fmt: formatMb },
  { key: "diskMb", label: "Disk", fmt: formatMb },
  { key: "pids", label: "Processes", fmt: String },
];

/** The card's body. */
export function PlanChangeCard({ serverId, currentPlanId, plans, pending }: { serverId: string; currentPlanId: string | null; plans: PlanChoice[]; pending: PendingPlanRequest | null }) {
  const router = useRouter();
  const [planId, setPlanId] = useState("");
  const [preview, setPreview] = useState<PlanChangePreview | null>(null);
  const [note, setNote] = useState("");
  const [confirming, setConfirming] = useState(false);
  const [message, setMessage] = useState<Outcome | null>(null);
  const [busy, start] = useTransition();

  if (pending) {
    return (
      <div className="space-y-2 text-sm" data-testid="plan-request-pending">
        <p>
          A request to move to <strong>{pending.toPlanName}</strong> waits for your provider&apos;s answer.
          {pending.note ? <span className="text-slate-500"> Note: {pending.note}</span> : null}
        </p>
        {pending.mine ? (
          <Button
            look="secondary"
            disabled={busy}
            onClick={() =>
              start(async () => {
                const r = await cancelPlanChangeAction(pending.id, serverId);
                setMessage({ ok: r.ok, text: r.ok ? (r.message ?? "Withdrawn.") : r.message });
                router.refresh();
              })
            }
          >
            Withdraw the request
          </Button>
        ) : null}
        <OutcomeLine outcome={message} />
      </div>
    );
  }

  const choose = (id: string) => {
    setPlanId(id);
    setPreview(null);
    setConfirming(false);
    setMessage(null);
    if (!id) return;
    start(async () => {
      const r = await previewPlanChangeAction(serverId, id);
      if (r.ok) setPreview(r.data);
      else setMessage({ ok: false, text: r.message });
    });
  };

  const change = (confirmRestart: boolean) =>
    start(async () => {
      const r = await changePlanAction(serverId, planId, confirmRestart);
      if (!r.ok) return setMessage({ ok: false, text: r.message });
      router.push(`/servers/${serverId}?job=${r.data.jobId}`);
    });

  const request = () =>
    start(async () => {
      const r = await requestPlanChangeAction(serverId, planId, note);
      setMessage({ ok: r.ok, text: r.ok ? (r.message ?? "Sent.") : r.message });
      if (r.ok) router.refresh();
    });

  return (
    <div className="space-y-4 text-sm" data-testid="plan-change">
      <label className="block">
        <span className="text-slate-500">Move to plan</span>
        <select value={planId} onChange={(e) => choose(e.target.value)} aria-label="Plan" className="mt-1 block w-full rounded-md px-3 py-2 ring-1 ring-slate-300 dark:bg-slate-900 dark:ring-slate-700">
          <option value="">Choose a plan…</option>
          {plans
            .filter((p) => p.id !== currentPlanId)
            .map((p) => (
              <option key={p.id} value={p.id}>
                {p.name} · {formatPrice(p.priceCents, p.currency)}
              </option>
            ))}
        </select>
      </label>
      {preview ? (
        <div className="space-y-3" data-testid="plan-preview">
          <table className="w-full text-left">
            <thead className="text-xs text-slate-500">
              <tr>
                <th className="py-1 font-normal">Resource</th>
                <th className="py-1 font-normal">Now</th>
                <th className="py-1 font-normal">After</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.key} className={preview.before[r.key] !== preview.after[r.key] ? "font-medium" : "text-slate-500"}>
                  <td className="py-0.5">{r.label}</td>
                  <td className="py-0.5">{r.fmt(preview.before[r.key])}</td>
                  <td className="py-0.5" data-testid={`after-${r.key}`}>{r.fmt(preview.after[r.key])}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {preview.addAddresses.ipv4 + preview.addAddresses.ipv6 > 0 ? (
            <p>
              Adds {preview.addAddresses.ipv4 ? `${preview.addAddresses.ipv4} IPv4` : ""}
              {preview.addAddresses.ipv4 && preview.addAddresses.ipv6 ? " and " : ""}
              {preview.addAddresses.ipv6 ? `${preview.addAddresses.ipv6} IPv6` : ""} address(es).
            </p>
          ) : null}
          {preview.refusal ? (
            <p role="alert" className="text-red-700">
              {preview.refusal.message}
            </p>
          ) : preview.restartNotice ? (
            <p className="text-amber-800 dark:text-amber-200" data-testid="plan-restart-notice">
              {preview.restartNotice}.
            </p>
          ) : (
            <p className="text-slate-500">Everything changes while the server runs; no restart.</p>
          )}
          {preview.refusal ? null : preview.direct ? (
            confirming ? (
              <div className="flex gap-2">
                <Button disabled={busy} onClick={() => change(true)} data-testid="plan-confirm-restart">
                  Stop, change and start
                </Button>
                <Button look="secondary" disabled={busy} onClick={() => setConfirming(false)}>
                  Cancel
                </Button>
              </div>
            ) : (
              <Button disabled={busy} onClick={() => (preview.restartNotice ? setConfirming(true) : change(false))} data-testid="plan-change-apply">
                {busy ? "Working…" : preview.restartNotice ? `Move to ${preview.planName} (restarts the server)` : `Move to ${preview.planName}`}
              </Button>
            )
          ) : (
            <div className="space-y-2">
              <p className="text-slate-500">Your provider decides on this plan: send a request.</p>
              <textarea value={note} onChange={(e) => setNote(e.target.value)} maxLength={500} rows={2} placeholder="A note for your provider (optional)" aria-label="Note" className="block w-full rounded-md px-3 py-2 ring-1 ring-slate-300 dark:bg-slate-900 dark:ring-slate-700" />
              <Button disabled={busy} onClick={request} data-testid="plan-request">
                Request {preview.planName}
              </Button>
            </div>
          )}
        </div>
      ) : null}
      <OutcomeLine outcome={message} />
    </div>
  );
}
