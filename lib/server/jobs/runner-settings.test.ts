import { test } from "node:test";
import assert from "node:assert/strict";
import { jobRunnerOptions } from "./runner-settings";

test("JOB_LEASE_MS sets the runner's lease; unset keeps the default", () => {
  assert.deepEqual(jobRunnerOptions({}), {});
  assert.deepEqual(jobRunnerOptions({ JOB_LEASE_MS: "5000" }), { leaseMs: 5000 });
});

test("a JOB_LEASE_MS that is not a whole number of at least 1000 ms is refused, not ignored", () => {
  for (const bad of ["500", "abc", "1500.5", "-3000"]) assert.throws(() => jobRunnerOptions({ JOB_LEASE_MS: bad }), /JOB_LEASE_MS/);
});
