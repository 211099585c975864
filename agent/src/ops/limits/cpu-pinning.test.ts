import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { pickCpus, pinnedCpuCount } from "./cpu-pinning";

describe("cpu pinning", () => {
  it("pins ceil(cores), at least one, at most what is available", () => {
    assert.equal(pinnedCpuCount(0.25, 8), 1);
    assert.equal(pinnedCpuCount(1, 8), 1);
    assert.equal(pinnedCpuCount(1.5, 8), 2);
    assert.equal(pinnedCpuCount(2, 8), 2);
    assert.equal(pinnedCpuCount(16, 8), 8);
  });

  it("picks consecutive CPUs of the available ones, wrapping, the same for the same name", () => {
    const available = [0, 2, 4, 6];
    const a = pickCpus("web", available, 3);
    assert.equal(a.length, 3);
    assert.ok(a.every((c) => available.includes(c)));
    assert.equal(new Set(a).size, 3);
    assert.deepEqual(pickCpus("web", available, 3), a);
    assert.deepEqual(pickCpus("web", available, 4), available);
  });

  it("spreads different names over the CPUs", () => {
    const available = [0, 1, 2, 3, 4, 5, 6, 7];
    const used = new Set(Array.from({ length: 40 }, (_, i) => pickCpus(`srv${i}`, available, 1)[0]));
    assert.ok(used.size >= 4, `40 one-CPU servers use ${used.size} of 8 CPUs`);
  });
});
