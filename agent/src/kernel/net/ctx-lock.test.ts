import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { withCtxLock } from "./ctx-lock";

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
