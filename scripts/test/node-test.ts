/**
 * Runs test files with Node's test runner (through tsx), showing the spec report live
 * and reading the counts from a TAP copy of the same run.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { tapFailures, type TapFailure } from "./tap-failures";
import { tapSkips, type TapSkip } from "./tap-skips";

/** Counts of one run. */
export interface Counts {
  pass: number;
  fail: number;
  skipped: number;
  /** Non-zero exit without failed tests (a crash, a leak, a timeout). */
  crashed: boolean;
  /** The failed tests, with the file each came from, for the summary at the end. */
  failures: (TapFailure & { file: string })[];
  /** The skipped tests, with the file each came from and why. */
  skips: (TapSkip & { file: string })[];
}

/** Adds counts. */
export function addCounts(a: Counts, b: Counts): Counts {
  return {
    pass: a.pass + b.pass,
    fail: a.fail + b.fail,
    skipped: a.skipped + b.skipped,
    crashed: a.crashed || b.crashed,
    failures: [...a.failures, ...b.failures],
    skips: [...a.skips, ...b.skips],
  };
}

/** Zero counts. */
export const noCounts: Counts = { pass: 0, fail: 0, skipped: 0, crashed: false, failures: [], skips: [] };

function tapCount(tap: string, key: string): number {
  const matches = [...tap.matchAll(new RegExp(`^# ${key} (\\d+)$`, "gm"))];
  return matches.length ? Number(matches.at(-1)![1]) : 0;
}

/** Options of one run. */
export interface RunOptions {
  root: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  concurrency?: number;
  /** Appends the live report and stderr to this file instead of the terminal (a phase that runs beside another). */
  logFile?: string;
}

/** Runs the files in one `node --test` process and returns the counts. */
export async function runNodeTests(files: string[], options: RunOptions): Promise<Counts> {
  if (files.length === 0) return noCounts;
  const tapFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "vsp-tap-")), "report.tap");
  const args = [
    "--import",
    "tsx",
    "--test",
    `--test-concurrency=${options.concurrency ?? 1}`,
    "--test-reporter=spec",
    "--test-reporter-destination=stdout",
    "--test-reporter=tap",
    `--test-reporter-destination=${tapFile}`,
    ...(options.timeoutMs ? [`--test-timeout=${options.timeoutMs}`] : []),
    ...files,
  ];
  const out = options.logFile ? fs.openSync(options.logFile, "a") : "inherit";
  const code = await new Promise<number>((resolve) => {
    const child = spawn(process.execPath, args, { cwd: options.root, env: options.env ?? process.env, stdio: ["ignore", out, out] });
    child.on("exit", (c, signal) => resolve(c ?? (signal ? 128 : 1)));
  }).finally(() => {
    if (typeof out === "number") fs.closeSync(out);
  });
  const tap = fs.existsSync(tapFile) ? fs.readFileSync(tapFile, "utf8") : "";
  fs.rmSync(path.dirname(tapFile), { recursive: true, force: true });
  const counts = { pass: tapCount(tap, "pass"), fail: tapCount(tap, "fail") + tapCount(tap, "cancelled"), skipped: tapCount(tap, "skipped") + tapCount(tap, "todo") };
  const file = files.length === 1 ? files[0]! : `${files.length} files`;
  const failures = tapFailures(tap).map((f) => ({ ...f, file }));
  const skips = tapSkips(tap).map((s) => ({ ...s, file }));
  return { ...counts, crashed: code !== 0 && counts.fail === 0, failures, skips };
}
