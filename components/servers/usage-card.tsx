/** Usage beside the limits: CPU time, memory, processes, disk, network. */
import { Card } from "@/components/ui/card";
import { formatBytes, formatCpuMilli, formatMb } from "@/lib/format";
import type { VserverUsage } from "@/lib/protocol/vservers";

function Meter({ label, used, limit, text, testId }: { label: string; used: number | null; limit: number | null; text: string; testId: string }) {
  const pct = used !== null && limit ? Math.min(100, Math.round((used / limit) * 100)) : 0;
  return (
    <div data-testid={testId}>
      <div className="flex justify-between text-sm">
        <span className="text-slate-500">{label}</span>
        <span>{text}</span>
      </div>
      <div className="mt-1 h-1.5 overflow-hidden rounded bg-slate-200 dark:bg-slate-800">
        <div className={`h-full ${pct > 90 ? "bg-red-500" : "bg-indigo-500"}`} style={{ width: `${pct}%` }} />
      </div>
    </div>
  );
}

/** Usage card. */
export function UsageCard({ usage, error, limits }: { usage: VserverUsage | null; error: string | null; limits: { cpuMilli: number; memoryMb: number; diskMb: number; pids: number } }) {
  const MiB = 1024 * 1024;
  return (
    <Card title="Usage">
      {usage ? (
        <div className="space-y-3">
          <Meter testId="usage-memory" label="Memory" used={usage.memoryBytes} limit={limits.memoryMb * MiB} text={`${formatBytes(usage.memoryBytes)} of ${formatMb(limits.memoryMb)}`} />
          <Meter testId="usage-disk" label="Disk" used={usage.diskBytesUsed} limit={limits.diskMb * MiB} text={`${formatBytes(usage.diskBytesUsed)} of ${formatMb(limits.diskMb)}`} />
          <Meter testId="usage-processes" label="Processes" used={usage.processes} limit={limits.pids} text={`${usage.processes} of ${limits.pids}`} />
          <dl className="grid grid-cols-2 gap-2 pt-2 text-sm">
            <dt className="text-slate-500">CPU time</dt>
            <dd>{usage.cpuUsageUsec !== null ? `${(usage.cpuUsageUsec / 1e6).toFixed(1)} s (limit ${formatCpuMilli(limits.cpuMilli)})` : "—"}</dd>
            <dt className="text-slate-500">OOM kills</dt>
            <dd>{usage.oomKills ?? "—"}</dd>
            <dt className="text-slate-500">Network in / out</dt>
            <dd>
              {formatBytes(usage.netRxBytes)} / {formatBytes(usage.netTxBytes)}
            </dd>
          </dl>
        </div>
      ) : (
        <p className="text-sm text-slate-500">Usage is not available right now{error ? ` (${error})` : ""}.</p>
      )}
    </Card>
  );
}
