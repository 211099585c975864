/**
 * The one writer of benchmark results: each benchmark's tables go to
 * bench/results/NAME.md with what a reader needs to weigh them — when, on what machine
 * (CPU, cores, memory, kernel, Node, and the load average when it started: the machine is
 * often shared), the command that reproduces them and the sample count of each table.
 * `npm run bench:readme` copies these files into README.md (readme-blocks.ts), so no
 * figure there is typed by hand.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { BenchTable } from "./stats";

/** Where a benchmark ran and how to run it again. */
export interface RunFacts {
  /** ISO date and time of the start. */
  date: string;
  cpu: string;
  cores: number;
  memoryGiB: number;
  kernel: string;
  node: string;
  /** The 1, 5 and 15 minute load averages at the start. */
  load: number[];
  command: string;
}

/** The directory of the results files. */
export const resultsDir = path.join(import.meta.dirname, "..", "results");

/**
 * The command that reruns benchmark `name` with the same settings: its BENCH_* variables
 * (BENCH_ONLY narrowed to it) before `npm run bench`.
 */
export function benchCommand(name: string, env: Record<string, string | undefined> = process.env): string {
  const settings = Object.keys(env)
    .filter((k) => k.startsWith("BENCH_") && k !== "BENCH_ONLY" && env[k] !== undefined)
    .sort()
    .map((k) => `${k}=${env[k]}`);
  return [`BENCH_ONLY=${name}`, ...settings, "npm run bench"].join(" ");
}

/** This machine now, for a run of benchmark `name`. */
export function runFacts(name: string): RunFacts {
  return {
    date: new Date().toISOString(),
    cpu: os.cpus()[0]?.model.trim() ?? "unknown CPU",
    cores: os.availableParallelism(),
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    kernel: os.release(),
    node: process.version,
    load: os.loadavg(),
    command: benchCommand(name),
  };
}

/** A table's cell for Markdown: a pipe would end the cell. */
const cell = (s: string) => s.replace(/\|/g, "\\|");

/** The Markdown of one benchmark's results (see {@link writeResults}). */
export function renderResults(name: string, facts: RunFacts, tables: BenchTable[]): string {
  const lines = [
    `# bench/${name}.ts`,
    "",
    `- date: ${facts.date}`,
    `- machine: ${facts.cpu}, ${facts.cores} cores, ${facts.memoryGiB} GiB, kernel ${facts.kernel}, Node ${facts.node}`,
    `- load average at the start: ${facts.load.map((l) => l.toFixed(2)).join(" ")} (1, 5, 15 min; ${facts.load[0]! >= facts.cores ? "a busy machine, other runs shared it" : "a quiet machine"})`,
    `- command: \`${facts.command}\``,
  ];
  for (const t of tables) {
    lines.push("", `#### ${t.title}`, "", `samples: ${t.samples ?? "not stated by the benchmark (see the table)"}`, "");
    // Columns of figures right-aligned, of words left.
    const figures = (i: number) => t.rows.some((r) => r[i]) && t.rows.every((r) => !r[i] || /^[\d.+-]/.test(r[i]));
    lines.push(`| ${t.header.map(cell).join(" | ")} |`, `| ${t.header.map((_, i) => (figures(i) ? "---:" : "---")).join(" | ")} |`);
    for (const r of t.rows) lines.push(`| ${t.header.map((_, i) => cell(r[i] ?? "")).join(" | ")} |`);
    if (t.notes?.length) lines.push("", ...t.notes.map((n) => `- ${n}`));
  }
  return `${lines.join("\n")}\n`;
}

/** Writes bench/results/NAME.md (or into `dir`); returns its path. */
export function writeResults(name: string, facts: RunFacts, tables: BenchTable[], dir = resultsDir): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.md`);
  fs.writeFileSync(file, renderResults(name, facts, tables));
  return file;
}
