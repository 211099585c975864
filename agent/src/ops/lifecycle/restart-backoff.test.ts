/** The on-failure back-off: 1 s doubling to 5 min, reset after 10 min up; and how an exit is told. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { LastExit } from "@/lib/protocol/vservers";
import { describeExit, isFailure } from "./exit-record";
import { nextRestart } from "./restart-backoff";

function scheduled(failuresInRow: number, delaySec: number): LastExit {
  return { at: "2026-12-06T10:00:00.000Z", cause: "signal", signal: 9, exitCode: null, oomKills: 0, uptimeSec: 1, action: "restart-scheduled", restartDelaySec: delaySec, failuresInRow };
}

describe("restart back-off", () => {
  it("doubles from 1 s for failures in a row and stops at 5 min", () => {
    const delays: number[] = [];
    let prev: LastExit | null = null;
    for (let i = 0; i < 12; i++) {
      const n = nextRestart(prev, 3);
      assert.equal(n.failuresInRow, i + 1);
      delays.push(n.delaySec);
      prev = scheduled(n.failuresInRow, n.delaySec);
    }
    assert.deepEqual(delays, [1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300]);
  });

  it("starts again at 1 s after a run of 10 min, after an end that was not a scheduled restart, and when the run length is unknown", () => {
    assert.deepEqual(nextRestart(scheduled(6, 32), 600), { failuresInRow: 1, delaySec: 1 });
    assert.deepEqual(nextRestart(scheduled(6, 32), 599), { failuresInRow: 7, delaySec: 64 });
    assert.deepEqual(nextRestart({ ...scheduled(6, 32), action: "stopped" }, 5), { failuresInRow: 1, delaySec: 1 });
    assert.deepEqual(nextRestart(scheduled(6, 32), null), { failuresInRow: 1, delaySec: 1 });
  });
});

describe("an init's end as the host records it", () => {
  const at = { initPid: 7, startTime: "1" };
  it("a SIGKILL in a run with OOM kills is the OOM killer; without, a signal", () => {
    assert.equal(describeExit({ ...at, status: "signaled", signal: 9, reboot: null }, 2, 5).cause, "oom");
    assert.equal(describeExit({ ...at, status: "signaled", signal: 9, reboot: null }, 0, 5).cause, "signal");
    assert.equal(describeExit({ ...at, status: "signaled", signal: 15, reboot: null }, 3, 5).cause, "signal");
  });
  it("reboot and halt are the guest's; exit 0 is no failure, any other status is", () => {
    const reboot = describeExit({ ...at, status: "signaled", signal: 1, reboot: "restart" }, 0, 5);
    const halt = describeExit({ ...at, status: "signaled", signal: 2, reboot: "halt" }, 0, 5);
    assert.deepEqual([reboot.cause, halt.cause, isFailure(reboot), isFailure(halt)], ["reboot", "halt", false, false]);
    assert.equal(isFailure(describeExit({ ...at, status: "exited", code: 0 }, 0, 5)), false);
    const failed = describeExit({ ...at, status: "exited", code: 3 }, 0, 5);
    assert.deepEqual([failed.cause, failed.exitCode, isFailure(failed)], ["exit", 3, true]);
  });
});
