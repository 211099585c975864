import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { tapFailures } from "./tap-failures";
import { tapSkips } from "./tap-skips";

/** Runs a small test file through Node's real TAP reporter, so the parser meets the real format. */
function tapOf(source: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vst-tap-"));
  try {
    fs.writeFileSync(path.join(dir, "sample.test.mjs"), source);
    // Without NODE_TEST_CONTEXT the child reports in TAP instead of to this test runner.
    const env = { ...process.env, NODE_TEST_CONTEXT: undefined };
    return spawnSync(process.execPath, ["--test", "--test-reporter=tap", "sample.test.mjs"], { cwd: dir, env, encoding: "utf8" }).stdout;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe("failures read from a TAP report", () => {
  it("names each failed test under its suite, with the error head and where it was thrown", () => {
    const tap = tapOf(`
import { describe, it } from "node:test";
import assert from "node:assert/strict";
describe("outer", () => {
  it("passes", () => {});
  it("has a message", () => { assert.ok(false, "r is still attached"); });
  describe("inner", () => {
    it("throws", () => { throw new Error("exit 1: Cannot find device\\nsecond line"); });
  });
});
it("top level fails", () => { assert.deepEqual({ a: 1 }, { a: 2 }); });
`);
    const got = tapFailures(tap);
    assert.deepEqual(got.map((f) => f.name), ["outer › has a message", "outer › inner › throws", "top level fails"]);
    assert.deepEqual(got[0]!.error, ["r is still attached"]);
    assert.deepEqual(got[1]!.error, ["exit 1: Cannot find device", "second line"]);
    assert.match(got[1]!.where, /sample\.test\.mjs:8:\d+/);
    assert.equal(got[2]!.error[0], "Expected values to be strictly deep-equal:");
  });

  it("finds nothing in a green report", () => {
    assert.deepEqual(tapFailures(tapOf(`import { it } from "node:test"; it("ok", () => {});`)), []);
  });

  it("cuts a long error to its first lines", () => {
    const lines = Array.from({ length: 30 }, (_, i) => `line ${i}`).join("\\n");
    const [f] = tapFailures(tapOf(`import { it } from "node:test"; it("long", () => { throw new Error("${lines}"); });`));
    assert.equal(f!.error.length, 7);
    assert.equal(f!.error.at(-1), "…");
  });
});

describe("skips read from a TAP report", () => {
  it("names each skipped test and suite with its reason, accepting only machine limits", () => {
    const tap = tapOf(`
import { describe, it } from "node:test";
describe("disk", () => {
  it("grows online", { skip: "machine limit: no CAP_SYS_RESOURCE" }, () => {});
  it("runs", () => {});
});
describe("whole suite", { skip: "needs zbarimg" }, () => { it("never runs", () => {}); });
it("inside", (t) => { t.skip("zbarimg is not installed"); });
it("no reason", { skip: true }, () => {});
`);
    assert.deepEqual(tapSkips(tap), [
      { name: "disk › grows online", reason: "machine limit: no CAP_SYS_RESOURCE", accepted: true },
      { name: "whole suite", reason: "needs zbarimg", accepted: false },
      { name: "inside", reason: "zbarimg is not installed", accepted: false },
      { name: "no reason", reason: "", accepted: false },
    ]);
  });

  it("finds none in a report without skips", () => {
    assert.deepEqual(tapSkips(tapOf(`import { it } from "node:test"; it("ok", () => {});`)), []);
  });
});
