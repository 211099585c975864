"use client";
/**
 * One time-series chart (uPlot, loaded in the browser only) with the same numbers as a
 * table for screen readers beside it. Dragging across the chart selects a span: the
 * parent fetches that span at the finest tier that covers it (zoom).
 */
import { useEffect, useRef } from "react";
import type uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

/** One line of a chart. */
export interface ChartLine {
  label: string;
  values: (number | null)[];
  color: string;
}

/** Formats a value of this chart's unit. */
export type Format = (v: number) => string;

/** A chart of `lines` over `times` (Unix seconds). */
export function UsageChart({ title, times, lines, format, onZoom, testId }: { title: string; times: number[]; lines: ChartLine[]; format: Format; onZoom: (from: number, to: number) => void; testId: string }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const zoom = useRef(onZoom);
  useEffect(() => {
    zoom.current = onZoom;
  });

  useEffect(() => {
    let alive = true;
    void import("uplot").then(({ default: UPlot }) => {
      if (!alive || !box.current) return;
      plot.current?.destroy();
      const width = Math.max(280, box.current.clientWidth);
      plot.current = new UPlot(
        {
          width,
          height: 180,
          series: [{}, ...lines.map((l) => ({ label: l.label, stroke: l.color, width: 1.5, value: (_u: uPlot, v: number | null) => (v === null ? "—" : format(v)) }))],
          axes: [{}, { values: (_u: uPlot, ticks: number[]) => tickLabels(ticks, format), size: axisWidth }],
          // Usage is never negative: the axis starts at 0. An idle or empty series would get
          // uPlot's default 0–100 ("100.00 cores" for a server that does nothing): 0–1 instead.
          scales: { y: { range: (_u: uPlot, _min: number | null, max: number | null) => (max !== null && max > 0 ? UPlot.rangeNum(0, max, 0.1, true) : [0, 1]) } },
          cursor: { drag: { x: true, y: false, setScale: false } },
          hooks: {
            setSelect: [
              (u: uPlot) => {
                if (u.select.width < 5) return;
                const from = Math.floor(u.posToVal(u.select.left, "x"));
                const to = Math.ceil(u.posToVal(u.select.left + u.select.width, "x"));
                u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
                zoom.current(from, to);
              },
            ],
          },
        },
        [times, ...lines.map((l) => l.values)] as uPlot.AlignedData,
        box.current,
      );
    });
    return () => {
      alive = false;
    };
  }, [times, lines, format]);

  // The plot is drawn at its box's width: follow the box when the window or the phone turns.
  useEffect(() => {
    const el = box.current;
    if (!el || typeof ResizeObserver === "undefined") return;
    const watch = new ResizeObserver(() => plot.current?.setSize({ width: Math.max(280, el.clientWidth), height: 180 }));
    watch.observe(el);
    return () => watch.disconnect();
  }, []);

  useEffect(() => () => plot.current?.destroy(), []);

  const last = times.length - 1;
  return (
    <figure className="min-w-0" data-testid={testId}>
      <figcaption className="mb-1 flex items-baseline justify-between text-sm font-medium">
        <span>{title}</span>
        <span className="text-xs font-normal text-slate-500" data-testid={`${testId}-latest`}>
          {last >= 0 ? lines.map((l) => `${l.label} ${l.values[last] === null || l.values[last] === undefined ? "—" : format(l.values[last]!)}`).join(" · ") : "no data"}
        </span>
      </figcaption>
      <div ref={box} aria-hidden="true" />
      <details className="mt-1 text-xs">
        <summary className="cursor-pointer text-slate-500">Data table</summary>
        <div className="max-h-48 overflow-auto">
          <table className="w-full text-left" data-testid={`${testId}-table`}>
            <caption className="sr-only">{title}: values per time</caption>
            <thead>
              <tr>
                <th scope="col">Time</th>
                {lines.map((l) => (
                  <th scope="col" key={l.label}>
                    {l.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {times.map((t, i) => (
                <tr key={t}>
                  <th scope="row" className="font-normal">
                    {new Date(t * 1000).toLocaleString()}
                  </th>
                  {lines.map((l) => (
                    <td key={l.label}>{l.values[i] === null || l.values[i] === undefined ? "—" : format(l.values[i]!)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}

/**
 * The value axis as wide as its longest label ("1.80 cores", "18.6 GiB"): a fixed width
 * cut the first digits off. The same labels give the same width, so uPlot's re-layout settles.
 */
function axisWidth(u: uPlot, values: string[] | null, axisIdx: number): number {
  const axis = u.axes[axisIdx]!;
  const longest = (values ?? []).reduce((a, v) => (v.length > a.length ? v : a), "");
  const ticks = (axis.ticks?.size ?? 10) + (axis.gap ?? 5);
  if (!longest) return ticks + 40;
  u.ctx.font = axis.font?.[0] ?? "12px system-ui";
  return Math.ceil(ticks + u.ctx.measureText(longest).width / (window.devicePixelRatio || 1) + 4);
}

/**
 * The value axis' labels. Ticks that round to the same text ("1 B" for 0.5 and 1 bytes on
 * an idle disk chart) keep it only on the last of them, the tick it is true for.
 */
function tickLabels(ticks: number[], format: (v: number) => string): string[] {
  const text = ticks.map((t) => format(t));
  return text.map((t, i) => (t === text[i + 1] ? "" : t));
}
