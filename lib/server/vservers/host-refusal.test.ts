import assert from "node:assert/strict";
import { test } from "node:test";
import { AgentError } from "@/lib/agent-client";
import { vserverLimits } from "@/lib/protocol/vservers";
import { hostRefusal } from "./host-refusal";
import { sliderInput } from "./provision/provision-input";

/** A refusal as the agent's HTTP edge or setLimits sends it: the wire field `limits.<key>`. */
const refusal = (key: string) => new AgentError("LIMIT_EXCEEDED", `limits.${key}: refused`, "req", 409, `limits.${key}`);

test("a host's refusal of a limit marks the slider the user moved (memory → memoryMb, not memory)", () => {
  const sliders = Object.keys(sliderInput.shape);
  const expected: Record<string, string> = { memory: "memoryMb", cpu: "cpuMilli", swap: "swapMb", diskBytes: "diskMb", pids: "pids" };
  for (const [wire, slider] of Object.entries(expected)) {
    const field = hostRefusal(refusal(wire)).field;
    assert.equal(field, slider, `limits.${wire}`);
    assert.ok(sliders.includes(field!), `${field} is a slider's key`);
  }
  // Every slider is reachable from some wire field, so none can stay unmarked.
  const reached = Object.keys(vserverLimits.shape).map((k) => hostRefusal(refusal(k)).field);
  for (const slider of sliders) assert.ok(reached.includes(slider), `a refusal reaches ${slider}`);
});

test("a failure that is not a refusal names no field", () => {
  assert.equal(hostRefusal(new AgentError("UNREACHABLE", "down", "req", 0)).field, undefined);
  assert.equal(hostRefusal(new Error("boom")).code, "AGENT_FAILED");
});
