import assert from "node:assert/strict";
import { test } from "node:test";
import { benchCommand, renderResults, type RunFacts } from "./results";

const facts: RunFacts = { date: "2026-12-06T20:00:00.000Z", cpu: "AMD EPYC", cores: 2, memoryGiB: 24, kernel: "6.1.0", node: "v20.20.2", load: [11.5, 7.31, 3.65], command: "BENCH_ONLY=engine BENCH_N=10 npm run bench" };

test("a results file names when, where, how and from how many samples, then the tables as written", () => {
  const md = renderResults("engine", facts, [
    { title: "start", samples: "10 runs per tool", header: ["tool", "median ms", "÷ agent API", "notes"], rows: [["agent API", "20.2", "1.00", "n=10"], ["lxc|execute", "28.4", "", "0 errors"]], notes: ["a note"] },
  ]);
  assert.equal(
    md,
    [
      "# bench/engine.ts",
      "",
      "- date: 2026-12-06T20:00:00.000Z",
      "- machine: AMD EPYC, 2 cores, 24 GiB, kernel 6.1.0, Node v20.20.2",
      "- load average at the start: 11.50 7.31 3.65 (1, 5, 15 min; a busy machine, other runs shared it)",
      "- command: `BENCH_ONLY=engine BENCH_N=10 npm run bench`",
      "",
      "#### start",
      "",
      "samples: 10 runs per tool",
      "",
      "| tool | median ms | ÷ agent API | notes |",
      "| --- | ---: | ---: | --- |",
      "| agent API | 20.2 | 1.00 | n=10 |",
      "| lxc\\|execute | 28.4 |  | 0 errors |",
      "",
      "- a note",
      "",
    ].join("\n"),
  );
  assert.match(renderResults("engine", { ...facts, load: [0.4, 0.3, 0.2] }, []), /a quiet machine/);
});

test("the command reruns one benchmark with the run's BENCH_ settings", () => {
  assert.equal(benchCommand("engine", { BENCH_ONLY: "engine,panel", BENCH_N: "10", PATH: "/bin", BENCH_A: "1" }), "BENCH_ONLY=engine BENCH_A=1 BENCH_N=10 npm run bench");
  assert.equal(benchCommand("panel", {}), "BENCH_ONLY=panel npm run bench");
});
