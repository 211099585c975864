import assert from "node:assert/strict";
import { test } from "node:test";
import { rowFieldOf } from "./row-field";

test("a host's refusal names the field the panel's slider has", () => {
  assert.equal(rowFieldOf("limits.memory"), "memoryMb");
  assert.equal(rowFieldOf("limits.diskBytes"), "diskMb");
  assert.equal(rowFieldOf("limits.netRate"), "netRateMbit");
  assert.equal(rowFieldOf("limits.cpu"), "cpuMilli");
  assert.equal(rowFieldOf("name"), "name");
  assert.equal(rowFieldOf(undefined), undefined);
});
