import assert from "node:assert/strict";
import { test } from "node:test";
import { AgentFailure } from "../errors";
import { limitsFromOptions } from "./limit-options";

// Named as the API names a field (limits.memory: …), as limits-options.root.test.ts checks through the CLI.
test("vlimit's options are parsed against the wire contract at the CLI's edge (setLimits takes parsed input)", () => {
  assert.deepEqual(limitsFromOptions({ memory: "256M", pids: "unlimited" }), { memory: 256 * 1024 * 1024, pids: null });
  assert.throws(
    () => limitsFromOptions({ memory: "1M" }),
    (e: unknown) => e instanceof AgentFailure && e.code === "BAD_REQUEST" && e.field === "limits.memory" && /^limits\.memory: at least 4M$/.test(e.message),
  );
  assert.throws(() => limitsFromOptions({ "cpu-weight": "20000" }), (e: unknown) => e instanceof AgentFailure && e.field === "limits.cpuWeight" && /^limits\.cpuWeight: \S/.test(e.message));
});
