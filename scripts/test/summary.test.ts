import assert from "node:assert/strict";
import { describe, it, mock } from "node:test";
import { noCounts, type Counts } from "./node-test";
import { phaseFailed, phaseResult, printSummary } from "./summary";

const counts = (c: Partial<Counts>): Counts => ({ ...noCounts, ...c });

/** What printSummary prints, and its verdict. */
function summary(...args: Parameters<typeof printSummary>): { passed: boolean; text: string } {
  const log = mock.method(console, "log", () => undefined);
  try {
    const passed = printSummary(...args);
    return { passed, text: log.mock.calls.map((c) => c.arguments.join(" ")).join("\n") };
  } finally {
    log.mock.restore();
  }
}

describe("npm test's verdict per phase", () => {
  it("passes a phase that ran tests", () => {
    assert.equal(phaseFailed(phaseResult("unit", counts({ pass: 3 }))), false);
  });

  it("fails a selected phase that executed no test, also when all its tests were skipped, saying so", () => {
    const none = phaseResult("unit", noCounts);
    assert.equal(phaseFailed(none), true);
    assert.deepEqual(none.details, ["unit: no test was executed"]);
    const allSkipped = phaseResult("root", counts({ skipped: 2, skips: [{ file: "a.root.test.ts", name: "x", reason: "machine limit: no XFS", accepted: true }] }));
    assert.equal(phaseFailed(allSkipped), true);
    assert.deepEqual(allSkipped.details, ["root: no test was executed (2 skipped)"]);
  });

  it("fails a phase with leftovers, and one with a skip that is not a machine limit", () => {
    assert.equal(phaseFailed(phaseResult("root", counts({ pass: 1 }), { details: ["left behind: a: links: vsh1"] })), true);
    assert.equal(phaseFailed(phaseResult("unit", counts({ pass: 1, skipped: 1, skips: [{ file: "b.test.ts", name: "y", reason: "needs zbarimg", accepted: false }] }))), true);
  });

  it("lists each skipped test with its file and reason, and fails the run when no phase ran", () => {
    const out = summary([
      phaseResult("unit", counts({ pass: 5, skipped: 2, skips: [
        { file: "a.test.ts", name: "grows online", reason: "machine limit: no CAP_SYS_RESOURCE", accepted: true },
        { file: "b.test.ts", name: "decodes the QR", reason: "zbarimg is not installed", accepted: false },
      ] })),
    ]);
    assert.equal(out.passed, false);
    assert.match(out.text, /skipped a\.test\.ts: grows online\n {4}machine limit: no CAP_SYS_RESOURCE/);
    assert.match(out.text, /✖ \[unit\] skipped b\.test\.ts: decodes the QR\n {4}zbarimg is not installed\n {4}not a machine limit/);
    assert.match(out.text, /FAILED: 5 passed, 0 failed, 2 skipped/);
    assert.equal(summary([]).passed, false);
    assert.match(summary([phaseResult("unit", counts({ pass: 1 }))]).text, /PASSED: 1 passed/);
  });
});
