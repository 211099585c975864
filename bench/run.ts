/**
 * `npm run bench`: runs every benchmark module in bench/ (each exports
 * `run(): Promise<BenchTable[]>`) and prints its tables. `BENCH_N` sets the number of
 * measured runs per tool (default 30), `BENCH_ONLY=engine` picks modules.
 */
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { printTable, type BenchTable } from "./lib/stats";

const only = process.env.BENCH_ONLY?.split(",");
const modules = fs
  .readdirSync(import.meta.dirname)
  .filter((f) => f.endsWith(".ts") && f !== "run.ts" && !f.endsWith(".test.ts"))
  .filter((f) => !only || only.includes(path.basename(f, ".ts")))
  .sort();

for (const file of modules) {
  const mod = (await import(pathToFileURL(path.join(import.meta.dirname, file)).href)) as { run?: () => Promise<BenchTable[]> };
  if (typeof mod.run !== "function") continue;
  console.log(`\n━━━ bench/${file}`);
  for (const table of await mod.run()) printTable(table);
}
