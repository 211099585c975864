/**
 * The quick start's agent supervision: an agent that ends unasked is started again (also
 * after failed starts), one that ends during shutdown is not.
 */
import assert from "node:assert/strict";
import { EventEmitter } from "node:events";
import { test } from "node:test";
import type { ChildProcess } from "node:child_process";
import type { AgentChild } from "./agent-process";
import { superviseAgent } from "./supervise-agent";

let pids = 100;
function fakeAgent(): AgentChild & { die(): void } {
  const proc = Object.assign(new EventEmitter(), { pid: pids++ }) as unknown as ChildProcess;
  return { process: proc, endpoint: "unix:/x", token: "t", stop: async () => undefined, die: () => void proc.emit("exit", null, "SIGKILL") };
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  assert.ok(check(), "the condition never held");
}

test("an agent killed while the panel runs is started again, past a start that failed", async () => {
  const seen: number[] = [];
  const made: ReturnType<typeof fakeAgent>[] = [];
  let failOnce = true;
  const first = fakeAgent();
  superviseAgent(first, {
    start: async () => {
      if (failOnce) {
        failOnce = false;
        throw new Error("socket busy");
      }
      const a = fakeAgent();
      made.push(a);
      return a;
    },
    started: (c) => void seen.push(c.process.pid!),
    stopping: () => false,
    say: () => undefined,
    firstDelayMs: 1,
    maxDelayMs: 4,
  });
  first.die();
  await until(() => made.length === 1);
  made[0]!.die();
  await until(() => made.length === 2);
  assert.deepEqual(seen, [first.process.pid, made[0]!.process.pid, made[1]!.process.pid]);
});

test("an agent that ends while the caller shuts down is left stopped", async () => {
  let starts = 0;
  const first = fakeAgent();
  superviseAgent(first, { start: async () => (starts++, fakeAgent()), started: () => undefined, stopping: () => true, say: () => undefined, firstDelayMs: 1 });
  first.die();
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(starts, 0);
});
