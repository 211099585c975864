/**
 * `npm test`: lint, typecheck, unit, database (SQLite and PostgreSQL), kernel
 * integration (root, one file at a time, with a leak check around each) and browser
 * tests, then a summary with pass/fail counts. Exits non-zero on any failure.
 *
 * `npm test -- --only unit,db` runs some phases; `npm test -- path/to/x.test.ts` runs
 * matching files only (in their phase).
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { generateClients } from "../db/generate";
import { discoverTests, type TestKind } from "./discover";
import { leaks, snapshotHost } from "./host-snapshot";
import { addCounts, noCounts, runNodeTests, type Counts } from "./node-test";
import { createExtraDatabase, startTestPostgres } from "./postgres";
import { startE2eStack } from "./e2e-stack";

const root = path.resolve(import.meta.dirname, "..", "..");
const args = process.argv.slice(2);
const onlyArg = args.find((a) => a.startsWith("--only"));
const only = onlyArg ? new Set((onlyArg.includes("=") ? onlyArg.split("=")[1]! : args[args.indexOf(onlyArg) + 1] ?? "").split(",")) : null;
const patterns = args.filter((a) => !a.startsWith("--") && a !== (onlyArg && !onlyArg.includes("=") ? args[args.indexOf(onlyArg) + 1] : undefined));

type Phase = "lint" | "typecheck" | TestKind;
const results: { phase: string; counts: Counts; note?: string; details?: string[] }[] = [];
const wants = (p: Phase): boolean => !only || only.has(p);
const pick = (kind: TestKind): string[] => discoverTests(root, kind).filter((f) => patterns.length === 0 || patterns.some((p) => f.includes(p)));

function banner(title: string): void {
  console.log(`\n━━━ ${title} ${"━".repeat(Math.max(0, 70 - title.length))}`);
}

function tool(phase: Phase, cmd: string, cmdArgs: string[]): void {
  banner(phase);
  const r = spawnSync(path.join(root, "node_modules", ".bin", cmd), cmdArgs, { cwd: root, stdio: "inherit" });
  const ok = r.status === 0;
  results.push({ phase, counts: { ...noCounts, pass: ok ? 1 : 0, fail: ok ? 0 : 1 } });
}

generateClients();

if (wants("lint") && patterns.length === 0) tool("lint", "eslint", ["--max-warnings", "0", "."]);
if (wants("typecheck") && patterns.length === 0) tool("typecheck", "tsc", ["--noEmit", "-p", "tsconfig.json"]);

if (wants("unit")) {
  banner("unit");
  results.push({ phase: "unit", counts: await runNodeTests(pick("unit"), { root, concurrency: os.availableParallelism(), timeoutMs: 120_000 }) });
}

if (wants("db")) {
  // Each file gets a fresh database of each kind, so files cannot see each other's rows.
  const files = pick("db");
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "vst-db-"));
  try {
    banner("database: SQLite");
    let sqlite = noCounts;
    for (const [i, file] of files.entries()) {
      sqlite = addCounts(sqlite, await runNodeTests([file], { root, env: { ...process.env, DATABASE_URL: `file:${path.join(scratch, `test-${i}.db`)}` } }));
    }
    results.push({ phase: "db (sqlite)", counts: sqlite });
    banner("database: PostgreSQL");
    const pg = startTestPostgres();
    try {
      let postgres = noCounts;
      for (const [i, file] of files.entries()) {
        const extra = createExtraDatabase(pg.url, `f${i}`);
        try {
          postgres = addCounts(postgres, await runNodeTests([file], { root, env: { ...process.env, DATABASE_URL: extra.url } }));
        } finally {
          extra.drop();
        }
      }
      results.push({ phase: "db (postgresql)", counts: postgres });
    } finally {
      pg.stop();
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

if ((wants("root") || wants("e2e")) && process.getuid?.() === 0) {
  // A killed earlier run leaves servers running that hold host-wide names this run's
  // servers would collide with (vsh<ctx>, loop devices): remove them first.
  const sweep = spawnSync(process.execPath, ["--import", "tsx", path.join(root, "scripts/test/sweep-stale-hosts.ts")], { cwd: root, stdio: "inherit" });
  if (sweep.status !== 0) console.error(`sweeping stale temp hosts failed (exit ${sweep.status}); going on`);
}

if (wants("root")) {
  banner("kernel integration (root)");
  if (process.getuid?.() !== 0) {
    results.push({ phase: "root", counts: { ...noCounts, crashed: true }, note: "needs root" });
  } else {
    let total = noCounts;
    const leaked: string[] = [];
    for (const file of pick("root")) {
      console.log(`\n▶ ${file}`);
      const before = snapshotHost();
      total = addCounts(total, await runNodeTests([file], { root, timeoutMs: 600_000 }));
      const found = leaks(before, snapshotHost());
      if (found.length) {
        leaked.push(...found.map((l) => `${file}: ${l}`));
        console.error(`✖ ${file} left behind:\n  ${found.join("\n  ")}`);
      }
    }
    results.push({ phase: "root", counts: leaked.length ? { ...total, crashed: true } : total, note: leaked.length ? `${leaked.length} leftovers` : undefined, details: leaked });
  }
}

if (wants("e2e")) {
  const files = pick("e2e");
  if (files.length) {
    banner("browser (Playwright + Chromium)");
    try {
      const stack = await startE2eStack(root);
      try {
        results.push({ phase: "e2e", counts: await runNodeTests(files, { root, env: { ...process.env, ...stack.env }, timeoutMs: 300_000 }) });
      } finally {
        await stack.stop();
      }
    } catch (error) {
      console.error("the browser tests' stack did not start:", error);
      results.push({ phase: "e2e", counts: { ...noCounts, crashed: true }, note: "stack did not start" });
    }
  }
}

banner("summary");
let failed = false;
for (const r of results) {
  const bad = r.counts.fail > 0 || r.counts.crashed;
  failed ||= bad;
  console.log(
    `${bad ? "✖" : "✔"} ${r.phase.padEnd(18)} pass ${String(r.counts.pass).padStart(4)}  fail ${String(r.counts.fail).padStart(3)}  skipped ${String(r.counts.skipped).padStart(3)}${r.counts.crashed ? "  (exited non-zero)" : ""}${r.note ? `  ${r.note}` : ""}`,
  );
}
const total = results.reduce((a, r) => addCounts(a, r.counts), noCounts);
// Repeated here, short, because CI keeps only the tail of the log.
const SHOWN_FAILURES = 12;
const allFailures = results.flatMap((r) => r.counts.failures.map((f) => ({ ...f, phase: r.phase })));
for (const f of allFailures.slice(0, SHOWN_FAILURES)) {
  console.log(`\n✖ [${f.phase}] ${f.file}: ${f.name}${f.where ? `\n    at ${f.where}` : ""}`);
  for (const line of f.error) console.log(`    ${line}`);
}
if (allFailures.length > SHOWN_FAILURES) console.log(`\n… and ${allFailures.length - SHOWN_FAILURES} more failed tests (above)`);
for (const r of results) {
  for (const d of r.details ?? []) console.log(`\n✖ [${r.phase}] left behind: ${d}`);
}
console.log(`\n${failed ? "FAILED" : "PASSED"}: ${total.pass} passed, ${total.fail} failed, ${total.skipped} skipped`);
process.exit(failed ? 1 : 0);
