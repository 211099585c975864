import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { withCtxLock } from "./ctx-lock";
import { withUndo } from "./undo-stack";

describe("withUndo", () => {
  it("undoes in reverse order on failure, also past a failing undo, and rethrows", async () => {
    const log: string[] = [];
    const failure = new Error("step 3");
    await assert.rejects(
      withUndo(async (undo) => {
        undo.push("one", () => void log.push("undo 1"));
        undo.push("two", () => {
          throw new Error("undo 2 broke");
        });
        undo.push("three", async () => void log.push("undo 3"));
        throw failure;
      }),
      (error: unknown) => {
        assert.equal(error, failure);
        assert.deepEqual((error as { undoFailures?: string[] }).undoFailures, ["two: Error: undo 2 broke"]);
        return true;
      },
    );
    assert.deepEqual(log, ["undo 3", "undo 1"]);
  });

  it("runs no undo on success", async () => {
    let undone = false;
    assert.equal(await withUndo(async (undo) => (undo.push("x", () => void (undone = true)), 7)), 7);
    assert.equal(undone, false);
  });
});

describe("withCtxLock", () => {
  it("serializes per ctx and keeps going after a failure", async () => {
    const log: string[] = [];
    const slow = withCtxLock(5, async () => {
      await new Promise((r) => setTimeout(r, 20));
      log.push("a");
      throw new Error("a failed");
    });
    const next = withCtxLock(5, async () => void log.push("b"));
    const other = withCtxLock(6, async () => void log.push("other"));
    await assert.rejects(slow);
    await next;
    await other;
    assert.deepEqual(log, ["other", "a", "b"]);
  });
});
