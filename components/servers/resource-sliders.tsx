"use client";
/**
 * The customer's resource sliders: each within the plan's maximum, with current usage
 * beside it. "Apply" changes the running server live; a disk change that this server's
 * host can only make with a stop and a start is said before, next to the disk slider,
 * and asks for a confirmation that runs it as a job. A value the host, the plan or the
 * reseller's quota cannot hold comes back as an error naming the resource.
 */
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { setLimitsAction } from "@/lib/actions/servers/set-limits-action";
import { formatBytes, formatCpuMilli, formatMb } from "@/lib/format";
import type { SliderInput } from "@/lib/server/vservers/provision/provision-input";

/** The slider keys are the fields of the change input, which host refusals name (host-refusal.ts). */
type Key = keyof SliderInput;

/** Slider definitions from the plan, and current values and usage. */
export interface SliderProps {
  serverId: string;
  values: Record<Key, number>;
  max: Record<Key, number>;
  usage: { memoryBytes: number | null; diskBytes: number | null; processes: number | null };
  /** What the host can do with this server's disk now (running or not). */
  disk: { growLive: boolean; shrinkLive: boolean; fixed: string | null };
}

const defs: { key: Key; label: string; step: number; fmt: (n: number) => string }[] = [
  { key: "cpuMilli", label: "CPU", step: 10, fmt: formatCpuMilli },
  { key: "memoryMb", label: "Memory", step: 16, fmt: formatMb },
  { key: "swapMb", label: "Swap", step: 16, fmt: formatMb },
  { key: "diskMb", label: "Disk", step: 64, fmt: formatMb },
  { key: "pids", label: "Processes", step: 16, fmt: (n) => String(n) },
];

/** Resource sliders. */
export function ResourceSliders({ serverId, values, max, usage, disk }: SliderProps) {
  const router = useRouter();
  const [draft, setDraft] = useState(values);
  const [result, setResult] = useState<{ ok: boolean; message: string; field?: string } | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [pending, start] = useTransition();
  const changed = defs.filter((d) => draft[d.key] !== values[d.key]);
  const diskChange = draft.diskMb === values.diskMb ? null : draft.diskMb > values.diskMb ? "grow" : "shrink";
  const needsRestart = diskChange !== null && !(diskChange === "grow" ? disk.growLive : disk.shrinkLive);
  const apply = (confirmRestart: boolean) =>
    start(async () => {
      const r = await setLimitsAction(serverId, { ...Object.fromEntries(changed.map((d) => [d.key, draft[d.key]])), confirmRestart });
      setConfirming(false);
      if (!r.ok) return setResult({ ok: false, message: r.message, field: r.field });
      if (r.data.applied === "job") return router.push(`/servers/${serverId}?job=${r.data.jobId}`);
      setResult({ ok: true, message: "Applied on the host, without a restart." });
      router.refresh();
    });
  const used: Partial<Record<Key, string>> = {
    memoryMb: usage.memoryBytes !== null ? `${formatBytes(usage.memoryBytes)} in use` : undefined,
    diskMb: usage.diskBytes !== null ? `${formatBytes(usage.diskBytes)} in use` : undefined,
    pids: usage.processes !== null ? `${usage.processes} running` : undefined,
  };
  return (
    <div className="space-y-4" data-testid="resource-sliders">
      {defs
        .filter((d) => max[d.key] > 0)
        .map((d) => (
          <label key={d.key} className="block text-sm">
            <span className="flex justify-between gap-2">
              <span>{d.label}</span>
              <span>
                <span data-testid={`limit-${d.key}`}>{d.fmt(draft[d.key])}</span>
                <span className="text-slate-500"> of at most {d.fmt(max[d.key])}</span>
                {used[d.key] ? <span className="ml-2 text-xs text-slate-500">({used[d.key]})</span> : null}
              </span>
            </span>
            <input
              type="range"
              name={d.key}
              min={Math.min(d.step, max[d.key])}
              disabled={d.key === "diskMb" && disk.fixed !== null}
              max={max[d.key]}
              step={d.step}
              value={draft[d.key]}
              aria-invalid={result?.field === d.key ? true : undefined}
              onChange={(e) => setDraft({ ...draft, [d.key]: Number(e.target.value) })}
              className="mt-2 w-full accent-indigo-600"
            />
            {d.key === "diskMb" && disk.fixed ? <span className="text-xs text-slate-500">{disk.fixed}</span> : null}
            {d.key === "diskMb" && needsRestart ? (
              <span className="text-xs text-amber-700 dark:text-amber-300" data-testid="disk-restart-note">
                {diskChange === "grow" ? "This host cannot grow the disk while the server runs: " : "A disk shrinks only while the server is stopped: "}
                applying stops the server, changes the disk and starts it again.
              </span>
            ) : null}
            {result && !result.ok && result.field === d.key ? <span className="text-xs text-red-600">{result.message}</span> : null}
          </label>
        ))}
      {result ? (
        <p role={result.ok ? "status" : "alert"} data-testid={result.ok ? "limits-applied" : "limits-error"} className={`text-sm ${result.ok ? "text-emerald-700" : "text-red-700"}`}>
          {result.message}
        </p>
      ) : null}
      {confirming ? (
        <div role="alertdialog" aria-label="Confirm the restart" className="rounded-md bg-amber-50 p-3 text-sm text-amber-900 ring-1 ring-amber-200 dark:bg-amber-950 dark:text-amber-100 dark:ring-amber-800" data-testid="restart-confirm">
          <p>The server will be stopped, its disk changed to {formatMb(draft.diskMb)} and started again. The other changes apply first, while it runs.</p>
          <div className="mt-2 flex gap-2">
            <Button type="button" disabled={pending} onClick={() => apply(true)}>
              {pending ? "Starting…" : "Stop, change and start"}
            </Button>
            <Button type="button" look="secondary" disabled={pending} onClick={() => setConfirming(false)}>
              Cancel
            </Button>
          </div>
        </div>
      ) : null}
      <div className="flex gap-2">
        <Button type="button" disabled={pending || changed.length === 0 || confirming} onClick={() => (needsRestart ? setConfirming(true) : apply(false))}>
          {pending ? "Applying…" : needsRestart ? "Apply (restarts the server)" : "Apply"}
        </Button>
        <Button type="button" look="secondary" disabled={pending || changed.length === 0} onClick={() => (setDraft(values), setConfirming(false))}>
          Reset
        </Button>
      </div>
    </div>
  );
}
