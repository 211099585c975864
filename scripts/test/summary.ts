/**
 * The end of `npm test`: one line per phase, then — short, because CI keeps only the
 * tail of the log — each failed test with its error head, each skipped test with its
 * reason, each leftover, and the verdict. A phase fails on a failed test, a crash, a
 * leak, a run that executed no test although it was selected, or a skip whose reason is
 * not a machine limit (tap-skips.ts).
 */
import { addCounts, noCounts, type Counts } from "./node-test";

/** The outcome of one phase. */
export interface PhaseResult {
  phase: string;
  counts: Counts;
  note?: string;
  /** Leftovers and other reasons the phase failed besides its tests. */
  details?: string[];
  /** Wall time of the phase (phases that ran side by side each count their own). */
  seconds?: number;
}

const SHOWN_FAILURES = 12;

/**
 * A phase's result from its counts: a selected phase in which no test passed or failed
 * fails (it proved nothing — skipped tests did not run), as does one with details
 * (leftovers); the counts then say so.
 */
export function phaseResult(phase: string, counts: Counts, extra: { note?: string; details?: string[]; seconds?: number } = {}): PhaseResult {
  const details = [...(extra.details ?? [])];
  if (counts.pass + counts.fail === 0 && !counts.crashed) details.push(`${phase}: no test was executed${counts.skipped ? ` (${counts.skipped} skipped)` : ""}`);
  return { phase, counts: details.length > 0 ? { ...counts, crashed: true } : counts, note: extra.note, details, seconds: extra.seconds };
}

/** Whether a phase failed; unaccepted skips fail it. */
export function phaseFailed(r: PhaseResult): boolean {
  return r.counts.fail > 0 || r.counts.crashed || r.counts.skips.some((s) => !s.accepted);
}

/** Prints the summary; returns true when the run passed. */
export function printSummary(results: PhaseResult[]): boolean {
  let failed = results.length === 0;
  for (const r of results) {
    const bad = phaseFailed(r);
    failed ||= bad;
    const c = r.counts;
    console.log(
      `${bad ? "✖" : "✔"} ${r.phase.padEnd(18)} pass ${String(c.pass).padStart(4)}  fail ${String(c.fail).padStart(3)}  skipped ${String(c.skipped).padStart(3)}${r.seconds === undefined ? "" : `  ${String(Math.round(r.seconds)).padStart(5)} s`}${c.crashed ? "  (exited non-zero)" : ""}${r.note ? `  ${r.note}` : ""}`,
    );
  }
  const total = results.reduce((a, r) => addCounts(a, r.counts), noCounts);
  const failures = results.flatMap((r) => r.counts.failures.map((f) => ({ ...f, phase: r.phase })));
  for (const f of failures.slice(0, SHOWN_FAILURES)) {
    console.log(`\n✖ [${f.phase}] ${f.file}: ${f.name}${f.where ? `\n    at ${f.where}` : ""}`);
    for (const line of f.error) console.log(`    ${line}`);
  }
  if (failures.length > SHOWN_FAILURES) console.log(`\n… and ${failures.length - SHOWN_FAILURES} more failed tests (above)`);
  for (const r of results) {
    for (const s of r.counts.skips) {
      console.log(`\n${s.accepted ? "–" : "✖"} [${r.phase}] skipped ${s.file}: ${s.name}\n    ${s.reason || "(no reason given)"}${s.accepted ? "" : "\n    not a machine limit: install what it needs in scripts/bootstrap.mjs, or fix the test"}`);
    }
    for (const d of r.details ?? []) console.log(`\n✖ [${r.phase}] ${d}`);
  }
  if (results.length === 0) console.log("\nno phase ran");
  console.log(`\n${failed ? "FAILED" : "PASSED"}: ${total.pass} passed, ${total.fail} failed, ${total.skipped} skipped`);
  return !failed;
}
