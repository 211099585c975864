/**
 * `npm test`: lint, typecheck, unit, database (SQLite and PostgreSQL), kernel
 * integration (root, one file at a time, with a leak check around each) and browser
 * tests, then a summary with pass/fail counts. Exits non-zero on any failure, and on a
 * run that tested nothing: an unknown phase, a pattern no file matches, a phase that
 * executed no test.
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
import { resetFirstUseState } from "./first-use-state";
import { leaks, snapshotHost } from "./host-snapshot";
import { addCounts, noCounts, runNodeTests, type Counts } from "./node-test";
import { createExtraDatabase, startTestPostgres } from "./postgres";
import { startE2eStack } from "./e2e-stack";
import { selectFiles, selectPhases, type Phase, type Selection } from "./select-phases";
import { phaseResult, printSummary, type PhaseResult } from "./summary";

const root = path.resolve(import.meta.dirname, "..", "..");
let selection: Selection;
try {
  selection = selectPhases(process.argv.slice(2));
} catch (e) {
  console.error(`npm test: ${(e as Error).message}`);
  process.exit(2);
}
const { phases, patterns } = selection;

const results: PhaseResult[] = [];
const wants = (p: Phase): boolean => phases.has(p);
let files: Record<TestKind, string[]>;
try {
  files = selectFiles((kind) => discoverTests(root, kind), selection);
} catch (e) {
  console.error(`npm test: ${(e as Error).message}`);
  process.exit(2);
}
/** A phase runs when it was asked for and (with patterns) a file of it matched. */
const runs = (kind: TestKind): boolean => wants(kind) && (patterns.length === 0 || files[kind].length > 0);

/** Records a phase that began at `since` (Date.now()); a selected phase that executed no test fails (see phaseResult). */
function record(phase: string, since: number, counts: Counts, extra: { note?: string; details?: string[] } = {}): void {
  results.push(phaseResult(phase, counts, { ...extra, seconds: (Date.now() - since) / 1000 }));
}

function banner(title: string): void {
  console.log(`\n━━━ ${title} ${"━".repeat(Math.max(0, 70 - title.length))}`);
}

function tool(phase: Phase, cmd: string, cmdArgs: string[]): void {
  banner(phase);
  const since = Date.now();
  const r = spawnSync(path.join(root, "node_modules", ".bin", cmd), cmdArgs, { cwd: root, stdio: "inherit" });
  const ok = r.status === 0;
  results.push({ phase, counts: { ...noCounts, pass: ok ? 1 : 0, fail: ok ? 0 : 1 }, seconds: (Date.now() - since) / 1000 });
}

generateClients();

if (wants("lint") && patterns.length === 0) tool("lint", "eslint", ["--max-warnings", "0", "."]);
if (wants("typecheck") && patterns.length === 0) tool("typecheck", "tsc", ["--noEmit", "-p", "tsconfig.json"]);

if (runs("unit")) {
  banner("unit");
  const since = Date.now();
  record("unit", since, await runNodeTests(files.unit, { root, concurrency: os.availableParallelism(), timeoutMs: 120_000 }));
}

/**
 * Runs every database test file, each against a fresh database from `fresh(i)`, one
 * after the other; with `logFile` the report goes there instead of the terminal.
 */
async function dbPass(fresh: (i: number) => { url: string; drop?: () => void }, logFile?: string): Promise<Counts> {
  let total = noCounts;
  for (const [i, file] of files.db.entries()) {
    const db = fresh(i);
    try {
      total = addCounts(total, await runNodeTests([file], { root, env: { ...process.env, DATABASE_URL: db.url }, logFile }));
    } finally {
      db.drop?.();
    }
  }
  return total;
}

if (runs("db")) {
  // Each file gets a fresh database of each kind, so files cannot see each other's rows.
  // The SQLite pass and the PostgreSQL pass share nothing (their own databases, ports
  // chosen by the kernel) and spend much of their time waiting on a database or on a
  // process start: they run side by side, PostgreSQL's report kept in a file and shown
  // after SQLite's.
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "vst-db-"));
  try {
    banner("database: SQLite (PostgreSQL beside it, its report below)");
    const pgLog = path.join(scratch, "postgresql.log");
    fs.writeFileSync(pgLog, "");
    const since = Date.now();
    const postgres = (async (): Promise<{ counts: Counts; note?: string }> => {
      let pg: ReturnType<typeof startTestPostgres> | null = null;
      try {
        pg = startTestPostgres();
        const url = pg.url;
        return { counts: await dbPass((i) => createExtraDatabase(url, `f${i}`), pgLog) };
      } catch (error) {
        const why = pg ? "the PostgreSQL pass broke off" : "the test PostgreSQL did not start";
        fs.appendFileSync(pgLog, `${why}: ${String(error)}\n`);
        return { counts: { ...noCounts, crashed: true }, note: why };
      } finally {
        pg?.stop();
      }
    })();
    const sqlite = await dbPass((i) => ({ url: `file:${path.join(scratch, `test-${i}.db`)}` }));
    record("db (sqlite)", since, sqlite);
    const pgResult = await postgres;
    record("db (postgresql)", since, pgResult.counts, { note: pgResult.note });
    banner("database: PostgreSQL (ran beside SQLite)");
    process.stdout.write(fs.readFileSync(pgLog, "utf8"));
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

if ((runs("root") || runs("e2e")) && process.getuid?.() === 0) {
  // A killed earlier run leaves servers running that hold host-wide names this run's
  // servers would collide with (vsh<ctx>, loop devices): remove them first.
  const sweep = spawnSync(process.execPath, ["--import", "tsx", path.join(root, "scripts/test/sweep-stale-hosts.ts")], { cwd: root, stdio: "inherit" });
  if (sweep.status !== 0) console.error(`sweeping stale temp hosts failed (exit ${sweep.status}); going on`);
}

if (runs("root")) {
  banner("kernel integration (root)");
  if (process.getuid?.() !== 0) {
    record("root", Date.now(), { ...noCounts, crashed: true }, { note: "needs root" });
  } else {
    // Every run starts from what a machine that never ran the suite has (first-use-state.ts).
    const since = Date.now();
    for (const done of resetFirstUseState()) console.log(`fresh-machine check: ${done}`);
    let total = noCounts;
    const leaked: string[] = [];
    for (const file of files.root) {
      console.log(`\n▶ ${file}`);
      const before = snapshotHost();
      total = addCounts(total, await runNodeTests([file], { root, timeoutMs: 600_000 }));
      const found = leaks(before, snapshotHost());
      if (found.length) {
        leaked.push(...found.map((l) => `left behind: ${file}: ${l}`));
        console.error(`✖ ${file} left behind:\n  ${found.join("\n  ")}`);
      }
    }
    record("root", since, total, { note: leaked.length ? `${leaked.length} leftovers` : undefined, details: leaked });
  }
}

/** Runs browser test files against a fresh stack on SQLite, or on PostgreSQL when given its URL. */
async function browserPhase(phase: string, specs: string[], databaseUrl?: string): Promise<void> {
  const since = Date.now();
  try {
    const stack = await startE2eStack(root, { databaseUrl });
    try {
      record(phase, since, await runNodeTests(specs, { root, env: { ...process.env, ...stack.env }, timeoutMs: 300_000 }));
    } finally {
      await stack.stop();
    }
  } catch (error) {
    console.error(`the browser tests' stack (${phase}) did not start:`, error);
    record(phase, since, { ...noCounts, crashed: true }, { note: "stack did not start" });
  }
}

if (runs("e2e")) {
  // `*.pg.spec.ts` needs PostgreSQL (several panel instances on one database): it runs in
  // the PostgreSQL phase only.
  const pgOnly = (f: string) => f.endsWith(".pg.spec.ts");
  const onSqlite = files.e2e.filter((f) => !pgOnly(f));
  if (onSqlite.length) {
    banner("browser (Playwright + Chromium), SQLite");
    await browserPhase("e2e (sqlite)", onSqlite);
  }
  // Flows whose outcome rests on the database (desired state, reconciliation, plan
  // changes) run once more against PostgreSQL, as production runs them.
  const both = files.e2e.filter((f) => f.endsWith(".both.spec.ts") || pgOnly(f));
  if (both.length) {
    banner("browser (Playwright + Chromium), PostgreSQL");
    const pg = startTestPostgres();
    try {
      await browserPhase("e2e (postgresql)", both, pg.url);
    } finally {
      pg.stop();
    }
  }
}

banner("summary");
process.exit(printSummary(results) ? 0 : 1);
