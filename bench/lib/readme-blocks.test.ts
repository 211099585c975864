import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { benchBlocks, fillBenchBlocks, readmeBlock } from "./readme-blocks";
import { readResults } from "./update-readme";

const readme = fs.readFileSync(path.join(import.meta.dirname, "..", "..", "README.md"), "utf8");

describe("the README's benchmark tables", () => {
  it("are the results files, each in its block, and no block is without a file", () => {
    const results = readResults();
    const blocks = benchBlocks(readme);
    assert.ok(results.size > 0, "bench/results holds the results of at least one run");
    assert.deepEqual([...blocks.keys()].sort(), [...results.keys()].sort(), "one block per results file (npm run bench:readme says which is missing)");
    for (const [name, text] of results) assert.equal(blocks.get(name), readmeBlock(text), `README.md's ${name} block is not bench/results/${name}.md: run npm run bench:readme`);
  });

  it("are filled between their markers, leaving the rest as it was, the same on a second run", () => {
    const text = "# Intro\n\n<!-- bench:engine -->\nold 20.2 ms\n<!-- /bench:engine -->\n\nprose\n<!-- bench:panel -->\n<!-- /bench:panel -->\n";
    const results = new Map([
      ["engine", "# bench/engine.ts\n\n- date: now\n\n| a |\n"],
      ["panel", "# bench/panel.ts\n\n| b |\n"],
    ]);
    const filled = fillBenchBlocks(text, results);
    assert.equal(filled, "# Intro\n\n<!-- bench:engine -->\n- date: now\n\n| a |\n<!-- /bench:engine -->\n\nprose\n<!-- bench:panel -->\n| b |\n<!-- /bench:panel -->\n");
    assert.equal(fillBenchBlocks(filled, results), filled);
  });

  it("refuse a results file without a block and a block without a results file, naming both", () => {
    const text = "<!-- bench:gone -->\nold\n<!-- /bench:gone -->\n";
    assert.throws(() => fillBenchBlocks(text, new Map([["engine", "# x\n"]])), (e: Error) => /bench\/results\/engine\.md has no block/.test(e.message) && /block for gone but there is no bench\/results\/gone\.md/.test(e.message));
  });
});
