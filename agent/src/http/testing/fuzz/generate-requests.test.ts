import assert from "node:assert/strict";
import { test } from "node:test";
import { operations } from "@/lib/protocol";
import { operationSafety, unclassifiedOperations } from "./generate-requests";

test("every operation of the contract is classified for the fuzz test, and a missing one is named", () => {
  assert.deepEqual(unclassifiedOperations(Object.keys(operations), operationSafety), []);
  const { setDesiredState: _left, ...table } = operationSafety;
  assert.deepEqual(unclassifiedOperations(Object.keys(operations), table), ["setDesiredState"]);
});
