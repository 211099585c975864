import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { VserverInfo, VserverLimits } from "@/lib/protocol/vservers";
import { planCorrections, type PanelServer } from "./plan-corrections";

const limits: VserverLimits = {
  cpu: 1, cpuWeight: 100, memory: 512 << 20, swap: 0, pids: 200, diskBytes: 1 << 30, diskInodes: null,
  ioReadBps: null, ioWriteBps: null, ioReadIops: null, ioWriteIops: null, netRate: null,
};
const decided = new Date("2026-12-06T10:00:00Z");

function panel(p: Partial<PanelServer> = {}): PanelServer {
  return { name: "web1", desiredState: "RUNNING", desiredChangedAt: decided, suspended: false, suspendReason: null, limits, interfaces: [{ address: "192.0.2.10", prefix: 24 }], restartPolicy: null, ...p };
}

function host(h: Partial<VserverInfo> = {}): VserverInfo {
  return {
    name: "web1", context: 100, hostname: "web1", domainname: "", state: "running", initPid: 4242, startedAt: decided.toISOString(), startOnBoot: true,
    buildMethod: "busybox", distribution: null, interfaces: [{ address: "192.0.2.10", prefix: 24 }], limits, capabilities: [], flags: [], diskMode: "loop",
    userNamespace: true, desired: { state: "running", by: "panel", reason: null, at: decided.toISOString() }, restartPolicy: "never", lastExit: null, rescueUntil: null, ...h,
  };
}

describe("the reconciler's plan for one server", () => {
  it("has nothing to do when host and panel agree", () => {
    assert.deepEqual(planCorrections(panel(), host()), { corrections: [], reports: [] });
  });

  it("puts the panel's restart policy back on a host that changed it; a policy the panel has not decided is left to the host", () => {
    assert.deepEqual(planCorrections(panel({ restartPolicy: "on-failure" }), host({ restartPolicy: "never" })).corrections, [{ kind: "set-restart-policy", policy: "on-failure", from: "never" }]);
    assert.deepEqual(planCorrections(panel({ restartPolicy: "never" }), host({ restartPolicy: "never" })).corrections, []);
    assert.deepEqual(planCorrections(panel({ restartPolicy: null }), host({ restartPolicy: "on-failure" })).corrections, []);
  });

  it("leaves a crashed server to its host's restart policy and says so", () => {
    const lastExit = { at: decided.toISOString(), cause: "oom" as const, signal: 9, exitCode: null, oomKills: 2, uptimeSec: 5, action: "restart-scheduled" as const, restartDelaySec: 4, failuresInRow: 3 };
    const plan = planCorrections(panel(), host({ state: "stopped", initPid: null, lastExit }));
    assert.deepEqual(plan.corrections, []);
    assert.match(plan.reports.join(";"), /crash \(oom at .*restart policy starts it again after 4 s/);
  });

  it("puts a suspension back on a host that lost it, whoever changed the host, and keeps its reason", () => {
    const later = new Date(decided.getTime() + 60_000).toISOString();
    const plan = planCorrections(panel({ suspended: true, suspendReason: "unpaid", desiredState: "STOPPED" }), host({ desired: { state: "running", by: "cli", reason: null, at: later } }));
    assert.deepEqual(plan.corrections, [{ kind: "set-desired", state: "suspended", reason: "unpaid", from: "running" }]);
  });

  it("lifts a suspension the panel lifted, even when the host is newer", () => {
    const plan = planCorrections(panel({ desiredState: "STOPPED" }), host({ state: "stopped", desired: { state: "suspended", by: "panel", reason: "x", at: "2030-01-01T00:00:00Z" } }));
    assert.deepEqual(plan.corrections, [{ kind: "set-desired", state: "stopped", from: "suspended" }]);
  });

  it("adopts an admin's stop or a guest's halt made on the host after the panel's last decision", () => {
    const later = new Date(decided.getTime() + 1000).toISOString();
    for (const by of ["cli", "guest"] as const) {
      const plan = planCorrections(panel(), host({ state: "stopped", desired: { state: "stopped", by, reason: null, at: later } }));
      assert.deepEqual(plan.corrections, [{ kind: "adopt-desired", state: "STOPPED", by, at: later }]);
    }
  });

  it("corrects a host record older than the panel's decision, or one written as the panel's (a lost write)", () => {
    const earlier = new Date(decided.getTime() - 1000).toISOString();
    assert.deepEqual(planCorrections(panel(), host({ state: "stopped", desired: { state: "stopped", by: "cli", reason: null, at: earlier } })).corrections, [
      { kind: "set-desired", state: "running", from: "stopped" },
    ]);
    const later = new Date(decided.getTime() + 1000).toISOString();
    assert.deepEqual(planCorrections(panel({ desiredState: "STOPPED" }), host({ desired: { state: "running", by: "panel", reason: null, at: later } })).corrections, [
      { kind: "set-desired", state: "stopped", from: "running" },
    ]);
  });

  it("writes the record on a host that has none, and reports a server that should run but does not", () => {
    assert.deepEqual(planCorrections(panel(), host({ desired: null })).corrections, [{ kind: "set-desired", state: "running", from: null }]);
    const down = planCorrections(panel(), host({ state: "stopped" }));
    assert.deepEqual(down.corrections, []);
    assert.match(down.reports[0]!, /should be running but is stopped/);
  });

  it("sets only the live limits that drifted and reports a disk that differs", () => {
    const plan = planCorrections(panel(), host({ limits: { ...limits, memory: 256 << 20, pids: 100, diskBytes: 2 << 30 } }));
    assert.deepEqual(plan.corrections, [{ kind: "set-limits", patch: { memory: 512 << 20, pids: 200 }, from: { memory: 256 << 20, pids: 100 } }]);
    assert.match(plan.reports[0]!, /disk/);
  });

  it("adds missing addresses and removes ones the panel never gave, comparing IPv6 text case-blind", () => {
    const plan = planCorrections(
      panel({ interfaces: [{ address: "192.0.2.10", prefix: 24 }, { address: "2001:db8::1", prefix: 64 }] }),
      host({ interfaces: [{ address: "2001:DB8::1", prefix: 64 }, { address: "192.0.2.99", prefix: 24 }] }),
    );
    assert.deepEqual(plan.corrections, [
      { kind: "add-address", address: { address: "192.0.2.10", prefix: 24 } },
      { kind: "remove-address", address: { address: "192.0.2.99", prefix: 24 } },
    ]);
  });
});
