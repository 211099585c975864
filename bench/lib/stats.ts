/** Small statistics and table printing for the benchmarks. */
import { spawnSync } from "node:child_process";
import path from "node:path";

/** One measured tool: samples in ms, or why it could not run. */
export interface Measured {
  tool: string;
  samples?: number[];
  error?: string;
}

/** A printable table. */
export interface BenchTable {
  title: string;
  /**
   * How many samples the figures come from, e.g. "30 runs per tool after 2 warm-ups".
   * Every benchmark states it; optional only until bench/cli.ts (which predates it) does.
   */
  samples?: string;
  header: string[];
  rows: string[][];
  notes?: string[];
}

/** The p-th percentile (0..100) of samples. */
export function percentile(samples: readonly number[], p: number): number {
  const s = [...samples].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const i = Math.min(s.length - 1, Math.max(0, Math.round((p / 100) * (s.length - 1))));
  return s[i]!;
}

/** Times `fn` n times after `warmup` runs (in this process). */
export async function timeAsync(n: number, warmup: number, fn: () => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < warmup + n; i++) {
    const t = process.hrtime.bigint();
    await fn();
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    if (i >= warmup) out.push(ms);
  }
  return out;
}

/** Times a command with bench/lib/spawn-loop.mjs (optionally wrapped, e.g. in unshare). */
export function timeCommand(job: { n: number; warmup: number; argv: string[]; setup?: string[][]; teardown?: string[][]; umountUnified?: boolean }, wrapper: string[] = [], env?: NodeJS.ProcessEnv): { samples?: number[]; error?: string } {
  const loop = path.join(import.meta.dirname, "spawn-loop.mjs");
  const argv = [...wrapper, process.execPath, loop, JSON.stringify(job)];
  const r = spawnSync(argv[0]!, argv.slice(1), { encoding: "utf8", env: env ?? process.env, maxBuffer: 16 << 20 });
  try {
    return JSON.parse(r.stdout) as { samples?: number[]; error?: string };
  } catch {
    return { error: `${argv[0]} exited ${r.status}: ${r.stderr.slice(0, 300)}` };
  }
}

/** Rows "tool | median | p10 | p90 | tool median ÷ reference median". */
export function comparisonRows(results: Measured[], reference: string): string[][] {
  const ref = results.find((r) => r.tool === reference);
  const refMedian = ref?.samples ? percentile(ref.samples, 50) : NaN;
  return results.map((r) => {
    if (!r.samples) return [r.tool, "n/a", "", "", "", r.error ?? ""];
    const med = percentile(r.samples, 50);
    const ratio = r.tool === reference ? "1.00" : (med / refMedian).toFixed(2);
    return [r.tool, med.toFixed(1), percentile(r.samples, 10).toFixed(1), percentile(r.samples, 90).toFixed(1), ratio, `n=${r.samples.length}`];
  });
}

/** Prints a table with aligned columns. */
export function printTable(t: BenchTable): void {
  const rows = [t.header, ...t.rows];
  const widths = t.header.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? "").length)));
  console.log(`\n${t.title}${t.samples ? `\n(${t.samples})` : ""}`);
  for (const [i, r] of rows.entries()) {
    console.log(r.map((cell, c) => (c === 0 || c === r.length - 1 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join("  ").trimEnd());
    if (i === 0) console.log(widths.map((w) => "-".repeat(w)).join("  "));
  }
  for (const n of t.notes ?? []) console.log(`  ${n}`);
}
