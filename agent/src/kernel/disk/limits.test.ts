/** Validation of disk limits: field names, rounding, bounds. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AgentFailure } from "../../errors";
import { checkHostSpace, checkLoopInodes, MIN_DISK_BYTES, validateDiskLimitChange, validateDiskLimits } from "./limits";

const M = 1024 * 1024;
const bad = (field: string, code = "BAD_REQUEST") => (e: unknown) => e instanceof AgentFailure && e.code === code && e.field === field;

describe("disk limits", () => {
  it("accepts bytes and text, rounds down to 4 KiB, defaults inodes to one per 16 KiB", () => {
    assert.deepEqual(validateDiskLimits({ bytes: "64M" }), { bytes: 64 * M, inodes: 4096 });
    assert.deepEqual(validateDiskLimits({ bytes: 64 * M + 4095, inodes: "5000" }), { bytes: 64 * M, inodes: 5000 });
    assert.deepEqual(validateDiskLimits({ bytes: "16M" }), { bytes: MIN_DISK_BYTES, inodes: 1024 });
  });

  it("refuses zero, negatives, fractions, unlimited, too small and too large, naming the field", () => {
    for (const bytes of [0, -1, 1.5, "unlimited", "abc", "15M", MIN_DISK_BYTES - 1, "2P"]) {
      assert.throws(() => validateDiskLimits({ bytes }), bad("bytes"), String(bytes));
    }
    for (const inodes of [0, -3, 2.5, "max", "100", 2 ** 32]) {
      assert.throws(() => validateDiskLimits({ bytes: "64M", inodes }), bad("inodes"), String(inodes));
    }
    assert.throws(() => validateDiskLimits(null as never), bad("limits"));
  });

  it("a change needs at least one field and validates each", () => {
    assert.deepEqual(validateDiskLimitChange({ bytes: "1G" }), { bytes: 1024 * M });
    assert.deepEqual(validateDiskLimitChange({ inodes: 9000 }), { inodes: 9000 });
    assert.throws(() => validateDiskLimitChange({}), bad("limits"));
    assert.throws(() => validateDiskLimitChange({ bytes: "8M" }), bad("bytes"));
  });

  it("a loop image holds at most one inode per KiB (mke2fs's densest layout)", () => {
    checkLoopInodes({ bytes: 16 * M, inodes: 16384 });
    assert.throws(() => checkLoopInodes({ bytes: 16 * M, inodes: 16385 }), bad("inodes"));
  });

  it("host space: refused beyond the free space unless overcommit is allowed", () => {
    checkHostSpace(10 * M, 10 * M, "/vservers/.images", false);
    assert.throws(() => checkHostSpace(10 * M + 1, 10 * M, "/vservers/.images", false), bad("bytes", "LIMIT_EXCEEDED"));
    checkHostSpace(10 * M + 1, 10 * M, "/vservers/.images", true);
  });
});
