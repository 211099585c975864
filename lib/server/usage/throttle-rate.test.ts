/** The over-quota throttle lowers a server's rate and never raises it. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { throttleRateMbit } from "./throttle-rate";

test("the throttle takes the plan's rate when it is lower, and keeps the server's when it is not", () => {
  assert.equal(throttleRateMbit(1, 100), 1);
  assert.equal(throttleRateMbit(1_000_000, 100), 100);
  assert.equal(throttleRateMbit(5, 5), 5);
});

test("an unlimited server (0) is throttled to the plan's rate", () => {
  assert.equal(throttleRateMbit(10, 0), 10);
});
