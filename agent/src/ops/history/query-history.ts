/**
 * Series for the panel's graphs: rrdcached's FETCH (which writes the file's pending
 * updates first) of the average, minimum and maximum, at the finest tier that covers the
 * range, scaled to each metric's unit. The finest tier keeps averages only (one sample
 * per step: its minimum and maximum are the sample), so there min = max = avg.
 */
import type { HistoryResult } from "@/lib/protocol/usage";
import { AgentFailure } from "../../errors";
import type { RrdcachedClient } from "./rrdcached-client";

interface Fetched {
  start: number;
  step: number;
  names: string[];
  rows: (number | null)[][];
}

/** Parses a FETCH answer's lines. */
export function parseFetch(lines: string[]): Fetched {
  let step = 0;
  let names: string[] = [];
  const times: number[] = [];
  const rows: (number | null)[][] = [];
  for (const line of lines) {
    const colon = line.indexOf(": ");
    if (colon < 0) continue;
    const key = line.slice(0, colon);
    const value = line.slice(colon + 2);
    if (key === "Step") step = Number(value);
    else if (key === "DSName") names = value.trim().split(/\s+/);
    else if (/^\d+$/.test(key)) {
      times.push(Number(key));
      rows.push(
        value
          .trim()
          .split(/\s+/)
          .map((v) => {
            const n = Number(v);
            return Number.isFinite(n) ? n : null;
          }),
      );
    }
  }
  return { start: times[0] ?? 0, step, names, rows };
}

async function fetchCf(client: RrdcachedClient, file: string, cf: string, from: number, to: number, ds: string[]): Promise<Fetched | null> {
  const a = await client.command(`FETCH ${file} ${cf} ${from} ${to}${ds.length ? ` ${ds.join(" ")}` : ""}`, 30_000);
  if (a.status < 0) {
    if (/No such file|ENOENT|opening/i.test(a.message)) return null;
    throw new AgentFailure("KERNEL", `rrdcached FETCH ${file}: ${a.message}`);
  }
  return parseFetch(a.lines);
}

/** The recorded series of `file` between `from` and `to` (Unix seconds); empty when it has none. */
export async function queryHistory(
  client: RrdcachedClient,
  file: string,
  sources: Record<string, { ds: string; scale: number }>,
  range: { from: number; to: number },
  metrics?: readonly string[],
): Promise<HistoryResult> {
  // Nothing is recorded in the future or before 2000 (RRDtool also reads a small number as
  // a date phrase, "1000" as a month): such a range is empty, one reaching out is cut.
  const now = Math.floor(Date.now() / 1000);
  const epoch2000 = 946684800;
  if (range.from >= now || range.to <= epoch2000) return { start: range.from, step: 10, points: 0, series: {} };
  range = { from: Math.max(range.from, epoch2000), to: Math.min(range.to, now) };
  const ds = metrics ? Object.entries(sources).filter(([m]) => metrics.includes(m)).map(([, s]) => s.ds) : [];
  const avg = await fetchCf(client, file, "AVERAGE", range.from, range.to, ds);
  if (!avg || avg.rows.length === 0) return { start: range.from, step: 10, points: 0, series: {} };
  const [min, max] = await Promise.all([fetchCf(client, file, "MIN", range.from, range.to, ds), fetchCf(client, file, "MAX", range.from, range.to, ds)]);
  const aligned = (f: Fetched | null) => (f && f.step === avg.step && f.start === avg.start && f.rows.length === avg.rows.length ? f : avg);
  const lo = aligned(min);
  const hi = aligned(max);
  const series: HistoryResult["series"] = {};
  for (const [metric, s] of Object.entries(sources)) {
    if (metrics && !metrics.includes(metric)) continue;
    const col = avg.names.indexOf(s.ds);
    if (col < 0) continue;
    const pick = (f: Fetched) => f.rows.map((r) => (r[col] === null || r[col] === undefined ? null : r[col]! * s.scale));
    series[metric] = { avg: pick(avg), min: pick(lo), max: pick(hi) };
  }
  return { start: avg.start, step: avg.step, points: avg.rows.length, series };
}
