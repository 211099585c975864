"use client";
/**
 * The usage graphs of a server or a host: CPU, memory, disk, IO and network over the last
 * hour, day, week, month or year or a custom range, zoomable by dragging, with a live
 * tail over socket.io (servers, on the hour view) and a data table beside each chart.
 */
import { useEffect, useMemo, useState } from "react";
import type { HistoryResult, ServerSample } from "@/lib/protocol/usage";
import { sendRealtime, useRealtime } from "@/components/jobs/use-realtime";
import { UsageChart, type ChartLine, type Format } from "./usage-chart";

const ranges = ["hour", "day", "week", "month", "year"] as const;

const bytes: Format = (v) => {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let i = 0;
  while (Math.abs(v) >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v >= 100 || i === 0 ? 0 : 1)} ${units[i]}`;
};
const rate: Format = (v) => `${bytes(v)}/s`;
const cores: Format = (v) => `${v.toFixed(2)} cores`;

/** Chart groups: title, metrics (label, colour) and unit. */
const groups = {
  server: [
    { id: "cpu", title: "CPU", format: cores, lines: [["cpu", "used", "#6366f1"], ["cpuThrottled", "throttled", "#f59e0b"]] },
    { id: "memory", title: "Memory", format: bytes, lines: [["memory", "memory", "#10b981"], ["swap", "swap", "#f43f5e"]] },
    { id: "disk", title: "Disk", format: bytes, lines: [["diskBytes", "used", "#0ea5e9"]] },
    { id: "io", title: "Disk IO", format: rate, lines: [["ioReadBytes", "read", "#8b5cf6"], ["ioWriteBytes", "write", "#ec4899"]] },
    { id: "net", title: "Network", format: rate, lines: [["netRxBytes", "in", "#22c55e"], ["netTxBytes", "out", "#3b82f6"]] },
  ],
  host: [
    { id: "cpu", title: "CPU", format: cores, lines: [["cpu", "busy", "#6366f1"]] },
    { id: "memory", title: "Memory", format: bytes, lines: [["memoryUsed", "used", "#10b981"], ["memoryTotal", "total", "#94a3b8"]] },
    { id: "disk", title: "Disk", format: bytes, lines: [["diskUsed", "used", "#0ea5e9"], ["diskTotal", "total", "#94a3b8"]] },
    { id: "io", title: "Disk IO", format: rate, lines: [["ioReadBytes", "read", "#8b5cf6"], ["ioWriteBytes", "write", "#ec4899"]] },
    { id: "net", title: "Network", format: rate, lines: [["netRxBytes", "in", "#22c55e"], ["netTxBytes", "out", "#3b82f6"]] },
  ],
} as const;

/** `<input type=datetime-local>` text of Unix seconds (local time). */
function localInput(sec: number): string {
  const d = new Date(sec * 1000);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

/** The graphs. `source` answers `?range=` / `?from=&to=` with a HistoryResult. */
export function UsageGraphs({ source, kind, serverId }: { source: string; kind: "server" | "host"; serverId?: string }) {
  const [range, setRange] = useState<(typeof ranges)[number]>("hour");
  const [custom, setCustom] = useState<{ from: number; to: number } | null>(null);
  const [data, setData] = useState<HistoryResult | null>(null);
  const [error, setError] = useState<string | null>(null);

  const [now] = useState(() => Math.floor(Date.now() / 1000));
  /** When the last live sample arrived (shown as "live at …"). */
  const [tailAt, setTailAt] = useState<number | null>(null);

  useEffect(() => {
    let alive = true;
    const q = custom ? `from=${custom.from}&to=${custom.to}` : `range=${range}`;
    fetch(`${source}?${q}`, { cache: "no-store" })
      .then(async (res) => {
        const body = (await res.json()) as HistoryResult & { error?: string };
        if (!alive) return;
        if (!res.ok) return setError(body.error ?? `HTTP ${res.status}`);
        setError(null);
        setData(body);
      })
      .catch((e: unknown) => alive && setError(String((e as Error)?.message ?? e)));
    return () => {
      alive = false;
    };
  }, [source, range, custom]);

  // The live tail: samples arrive over the socket while the hour view is shown.
  const tailing = kind === "server" && !!serverId && range === "hour" && !custom;
  useRealtime(
    (msg) => {
      if (msg.type !== "usage.sample" || msg.serverId !== serverId || !msg.sample) return;
      const sample: ServerSample = msg.sample;
      setTailAt(sample.at);
      setData((d) => {
        if (!d || d.points === 0) return d;
        const lastAt = d.start + (d.points - 1) * d.step;
        if (sample.at < lastAt + d.step) return d; // one point per step, as the history has
        const series = Object.fromEntries(
          Object.entries(d.series).map(([m, s]) => {
            const v = sample.values[m] ?? null;
            return [m, { avg: [...s.avg.slice(1), v], min: [...s.min.slice(1), v], max: [...s.max.slice(1), v] }];
          }),
        );
        return { ...d, start: d.start + d.step, series };
      });
    },
    () => {
      if (serverId) void sendRealtime({ type: tailing ? "usage.watch" : "usage.unwatch", serverId });
    },
  );
  useEffect(() => {
    if (!serverId) return;
    void sendRealtime({ type: tailing ? "usage.watch" : "usage.unwatch", serverId });
    return () => void sendRealtime({ type: "usage.unwatch", serverId });
  }, [tailing, serverId]);

  const times = useMemo(() => (data ? Array.from({ length: data.points }, (_, i) => data.start + i * data.step) : []), [data]);
  const charts = useMemo(
    () =>
      groups[kind].map((g) => ({
        ...g,
        chartLines: g.lines.map(([metric, label, color]) => ({ label, color, values: data?.series[metric]?.avg ?? [] })) as ChartLine[],
      })),
    [kind, data],
  );

  return (
    <div data-testid="usage-graphs" data-tail-at={tailAt ?? undefined}>
      <div className="mb-3 flex flex-wrap items-center gap-2 text-sm" role="group" aria-label="Time range">
        {ranges.map((r) => (
          <button
            key={r}
            type="button"
            aria-pressed={!custom && range === r}
            onClick={() => {
              setCustom(null);
              setRange(r);
            }}
            className={`rounded px-2 py-1 ring-1 ring-slate-300 dark:ring-slate-700 ${!custom && range === r ? "bg-indigo-600 text-white" : ""}`}
          >
            {r}
          </button>
        ))}
        <form
          className="flex min-w-0 flex-wrap items-center gap-1"
          onSubmit={(e) => {
            e.preventDefault();
            const f = new FormData(e.currentTarget);
            const from = Math.floor(new Date(String(f.get("from"))).getTime() / 1000);
            const to = Math.floor(new Date(String(f.get("to"))).getTime() / 1000);
            if (from > 0 && to > from) setCustom({ from, to });
            else setError("Custom range: give a start before the end");
          }}
        >
          <label className="sr-only" htmlFor="usage-from">
            From
          </label>
          <input id="usage-from" name="from" type="datetime-local" defaultValue={localInput(now - 86400)} className="rounded border px-1 dark:bg-slate-900" />
          <label className="sr-only" htmlFor="usage-to">
            To
          </label>
          <input id="usage-to" name="to" type="datetime-local" defaultValue={localInput(now)} className="rounded border px-1 dark:bg-slate-900" />
          <button type="submit" className="rounded px-2 py-1 ring-1 ring-slate-300 dark:ring-slate-700">
            Show
          </button>
        </form>
        {custom ? (
          <button type="button" onClick={() => setCustom(null)} className="rounded px-2 py-1 ring-1 ring-slate-300 dark:ring-slate-700">
            Reset zoom
          </button>
        ) : null}
        <span className="text-xs text-slate-500" data-testid="usage-resolution">
          {data ? `${data.points} points, ${data.step >= 3600 ? `${data.step / 3600} h` : data.step >= 60 ? `${data.step / 60} min` : `${data.step} s`} each${tailing ? ` · live${tailAt ? ` at ${new Date(tailAt * 1000).toLocaleTimeString()}` : ""}` : ""}` : "loading…"}
        </span>
      </div>
      {error ? (
        <p role="alert" className="mb-2 text-sm text-amber-700">
          Usage history is not available right now: {error}
        </p>
      ) : null}
      <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
        {charts.map((c) => (
          <UsageChart key={c.id} testId={`chart-${c.id}`} title={c.title} times={times} lines={c.chartLines} format={c.format} onZoom={(from, to) => setCustom({ from, to })} />
        ))}
      </div>
    </div>
  );
}
