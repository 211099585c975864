/**
 * What "Move to host…" says about a live move: each host's `criu check` as its agent
 * reported it — a failing check with its reason, an agent that reported none — and,
 * when both pass, that live moves are not built yet (never "possible").
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { liveMoveRefusal } from "./migration-targets";

const caps = (criuCheck?: { passes: boolean; detail: string }) => JSON.stringify({ diskLimits: "loop", diskReason: "", onlineDiskGrow: false, ...(criuCheck ? { criuCheck } : {}) });

test("each host's criu verdict, named, a shared reason once; both passing is still not a live move", () => {
  const failing = { name: "a", capabilities: caps({ passes: false, detail: "criu check fails here: vdso: Unexpected rt vDSO area bounds" }) };
  const passing = { name: "b", capabilities: caps({ passes: true, detail: "Looks good." }) };
  const old = { name: "c", capabilities: caps() };
  assert.equal(liveMoveRefusal(failing, passing), "a: criu check fails here: vdso: Unexpected rt vDSO area bounds");
  assert.equal(liveMoveRefusal(passing, old), "c: its agent has not reported a criu check");
  assert.equal(liveMoveRefusal(failing, { ...old, capabilities: null }), "a: criu check fails here: vdso: Unexpected rt vDSO area bounds; c: its agent has not reported a criu check");
  assert.equal(liveMoveRefusal(failing, { ...failing, name: "e" }), "a and e: criu check fails here: vdso: Unexpected rt vDSO area bounds", "one reason, both hosts named");
  assert.match(liveMoveRefusal(passing, { ...passing, name: "d" }), /not built in this version yet/);
});
