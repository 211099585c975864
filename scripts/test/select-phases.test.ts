import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { allPhases, selectPhases } from "./select-phases";

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
