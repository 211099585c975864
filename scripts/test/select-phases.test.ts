import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { TestKind } from "./discover";
import { allPhases, selectFiles, selectPhases } from "./select-phases";

describe("npm test's arguments", () => {
  it("runs every phase and file without arguments", () => {
    const s = selectPhases([]);
    assert.deepEqual([...s.phases], [...allPhases]);
    assert.deepEqual(s.patterns, []);
  });

  it("takes --only in both spellings, and patterns beside it", () => {
    assert.deepEqual([...selectPhases(["--only", "unit,db", "login"]).phases], ["unit", "db"]);
    assert.deepEqual(selectPhases(["--only", "unit,db", "login"]).patterns, ["login"]);
    assert.deepEqual([...selectPhases(["--only=root"]).phases], ["root"]);
  });

  it("refuses a phase that does not exist, naming it", () => {
    assert.throws(() => selectPhases(["--only", "nosuchphase"]), /unknown phase nosuchphase/);
    assert.throws(() => selectPhases(["--only", "unit,e2ee"]), /unknown phase e2ee/);
  });

  it("refuses an empty --only and an unknown option", () => {
    assert.throws(() => selectPhases(["--only"]), /needs a list/);
    assert.throws(() => selectPhases(["--only="]), /needs a list/);
    assert.throws(() => selectPhases(["--bail"]), /unknown option --bail/);
  });
});

describe("npm test's files", () => {
  const found: Record<TestKind, string[]> = {
    unit: ["lib/a.test.ts", "lib/login.test.ts"],
    db: ["lib/login.db.test.ts"],
    root: ["agent/src/x.root.test.ts"],
    e2e: ["e2e/login.spec.ts"],
  };
  const discover = (kind: TestKind) => found[kind];

  it("takes every file of the selected phases without patterns, none of the others", () => {
    assert.deepEqual(selectFiles(discover, selectPhases(["--only", "unit,root"])), { unit: found.unit, db: [], root: found.root, e2e: [] });
  });

  it("takes the files a pattern matches, in their phases", () => {
    assert.deepEqual(selectFiles(discover, selectPhases(["login"])), { unit: ["lib/login.test.ts"], db: ["lib/login.db.test.ts"], root: [], e2e: ["e2e/login.spec.ts"] });
  });

  it("refuses a pattern no file of the selected phases matches, naming it", () => {
    assert.throws(() => selectFiles(discover, selectPhases(["nosuchfile"])), /no test file of the phases lint, typecheck, unit, db, root, e2e matches "nosuchfile"/);
    // The file exists, but not in the phase asked for.
    assert.throws(() => selectFiles(discover, selectPhases(["--only", "unit", "x.root"])), /no test file of the phases unit matches "x.root"/);
  });
});
