/**
 * `npm run bench:readme` (also the last step of `npm run bench`): copies
 * bench/results/*.md into README.md's benchmark blocks (readme-blocks.ts).
 */
import fs from "node:fs";
import path from "node:path";
import { fillBenchBlocks } from "./readme-blocks";
import { resultsDir } from "./results";

/** The results files by benchmark name. */
export function readResults(dir = resultsDir): Map<string, string> {
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith(".md")).sort() : [];
  return new Map(files.map((f) => [path.basename(f, ".md"), fs.readFileSync(path.join(dir, f), "utf8")]));
}

/** Fills README.md's blocks; returns whether it changed. */
export function updateReadme(readmePath = path.join(resultsDir, "..", "..", "README.md"), dir = resultsDir): boolean {
  const before = fs.readFileSync(readmePath, "utf8");
  const after = fillBenchBlocks(before, readResults(dir));
  if (after !== before) fs.writeFileSync(readmePath, after);
  return after !== before;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    console.log(updateReadme() ? "README.md: benchmark tables updated from bench/results" : "README.md: benchmark tables already match bench/results");
  } catch (e) {
    console.error(`npm run bench:readme: ${(e as Error).message}`);
    process.exit(1);
  }
}
