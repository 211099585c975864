/**
 * `npm run bench`: runs every benchmark module in bench/ (each exports
 * `run(): Promise<BenchTable[]>`), prints its tables and writes them with the run's facts
 * to bench/results/NAME.md (lib/results.ts), then copies the results into README.md
 * (lib/update-readme.ts). `BENCH_N` sets the number of measured runs per tool (default
 * 30), `BENCH_ONLY=engine` picks modules. A module that fails keeps its last results
 * file and fails the run; the others still run.
 *
 * `npm run bench` first runs `scripts/bootstrap.mjs --bench` (the packages, native code
 * and agent bundle `npm test` prepares, and the peers: LXC, crun); the Prisma clients
 * are generated here, as the test runner does.
 */
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { generateClients } from "../scripts/db/generate";
import { runFacts, writeResults } from "./lib/results";
import { printTable, type BenchTable } from "./lib/stats";
import { updateReadme } from "./lib/update-readme";

const only = process.env.BENCH_ONLY?.split(",").filter(Boolean);
const all = fs
  .readdirSync(import.meta.dirname)
  .filter((f) => f.endsWith(".ts") && f !== "run.ts" && !f.endsWith(".test.ts"))
  .map((f) => path.basename(f, ".ts"))
  .sort();
const unknown = (only ?? []).filter((n) => !all.includes(n));
if (unknown.length) {
  console.error(`npm run bench: no benchmark ${unknown.join(", ")} in bench/ (there are: ${all.join(", ")})`);
  process.exit(2);
}

generateClients();
const failed: string[] = [];
for (const name of all.filter((n) => !only || only.includes(n))) {
  const mod = (await import(pathToFileURL(path.join(import.meta.dirname, `${name}.ts`)).href)) as { run?: () => Promise<BenchTable[]> };
  if (typeof mod.run !== "function") continue;
  console.log(`\n━━━ bench/${name}.ts`);
  const facts = runFacts(name);
  try {
    const tables = await mod.run();
    for (const table of tables) printTable(table);
    console.log(`\n→ ${path.relative(process.cwd(), writeResults(name, facts, tables))}`);
  } catch (e) {
    console.error(`bench/${name}.ts failed (its results file is left as it was):`, e);
    failed.push(name);
  }
}
try {
  console.log(updateReadme() ? "\nREADME.md: benchmark tables updated from bench/results" : "\nREADME.md: benchmark tables already match bench/results");
} catch (e) {
  console.error(`\nREADME.md not updated: ${(e as Error).message}`);
  failed.push("README.md");
}
if (failed.length) {
  console.error(`\nnpm run bench: FAILED: ${failed.join(", ")}`);
  process.exit(1);
}
