/** The billing month's traffic with the plan's monthly transfer as a bar (in, out, total). */
import { formatBytes } from "@/lib/format";
import type { ServerTraffic } from "@/lib/server/usage/read-server-traffic";

/** The bar. */
export function TrafficBar({ traffic }: { traffic: ServerTraffic }) {
  const c = traffic.current;
  const pct = traffic.quotaBytes ? Math.min(100, Math.round((c.totalBytes / traffic.quotaBytes) * 100)) : 0;
  const until = new Date(c.periodEnd).toISOString().slice(0, 10);
  return (
    <div className="mb-4" data-testid="traffic-bar">
      <div className="flex flex-wrap justify-between gap-2 text-sm">
        <span className="font-medium">Traffic this billing month (until {until})</span>
        <span data-testid="traffic-numbers">
          in {formatBytes(c.rxBytes)} · out {formatBytes(c.txBytes)} · total {formatBytes(c.totalBytes)}
          {traffic.quotaBytes ? ` of ${traffic.quotaBytes / 1e9} GB (${pct} %)` : " (unmetered)"}
        </span>
      </div>
      {traffic.quotaBytes ? (
        <div className="mt-1 h-2 overflow-hidden rounded bg-slate-200 dark:bg-slate-800" role="meter" aria-label="Monthly traffic used" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}>
          <div className={`h-full ${pct >= 100 ? "bg-red-600" : pct >= 80 ? "bg-amber-500" : "bg-indigo-500"}`} style={{ width: `${pct}%` }} />
        </div>
      ) : null}
      {traffic.quotaBytes && pct >= 100 && traffic.overQuotaPolicy !== "NONE" ? (
        <p className="mt-1 text-xs text-red-700">The monthly transfer is used up: the plan {traffic.overQuotaPolicy === "THROTTLE" ? "slows the network down until the next billing month" : "suspends the server"}.</p>
      ) : null}
    </div>
  );
}
