/** The reconciler's reading of a host's exit record: a crash the host already restarted counts once. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { LastExit, VserverInfo } from "@/lib/protocol/vservers";
import { unexpectedStopEvent } from "./observed-events";

const changed = new Date("2026-12-06T10:00:00Z");
const row = { id: "s1", name: "web1", state: "RUNNING", desiredState: "RUNNING", suspended: false, stateChangedAt: changed };
const exit = (l: Partial<LastExit>): LastExit => ({ at: "2026-12-06T10:05:00.000Z", cause: "oom", signal: 9, exitCode: null, oomKills: 4, uptimeSec: 300, action: "restart-scheduled", restartDelaySec: 1, failuresInRow: 1, ...l });
const info = (i: Partial<VserverInfo>) => ({ state: "running", desired: null, lastExit: null, ...i }) as VserverInfo;

describe("unexpected stops the host reports", () => {
  it("an OOM kill the host restarted is an OOM event once, a later signal a crash", () => {
    const e = unexpectedStopEvent(row, info({ lastExit: exit({}) }));
    assert.equal(e?.type, "server.oom_killed");
    assert.match(String(e?.data.cause), /OOM killer \(4 OOM kills/);
    assert.equal(unexpectedStopEvent({ ...row, stateChangedAt: new Date("2026-12-06T10:06:00Z") }, info({ lastExit: exit({}) })), null);
    assert.equal(unexpectedStopEvent(row, info({ lastExit: exit({ cause: "signal" }) }))?.type, "server.crashed");
  });
  it("no event for the guest's reboot, halt or clean exit, nor where the panel wants it stopped or suspended", () => {
    for (const l of [exit({ cause: "reboot", action: "restart" }), exit({ cause: "exit", exitCode: 0, action: "stopped" })]) assert.equal(unexpectedStopEvent(row, info({ lastExit: l })), null);
    assert.equal(unexpectedStopEvent(row, info({ state: "stopped", lastExit: exit({ cause: "halt", action: "stopped" }), desired: { state: "stopped", by: "guest", reason: null, at: null } })), null);
    assert.equal(unexpectedStopEvent({ ...row, desiredState: "STOPPED" }, info({ lastExit: exit({}) })), null);
    assert.equal(unexpectedStopEvent({ ...row, suspended: true }, info({ lastExit: exit({}) })), null);
  });
  it("a stop with no record from the host is a crash of unknown cause", () => {
    assert.match(String(unexpectedStopEvent(row, info({ state: "stopped" }))?.data.cause), /unknown/);
  });
});
