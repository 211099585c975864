import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { foreignProcess, leaks, lines, type Snapshot } from "./host-snapshot";

const snap = (kinds: Record<string, string[]>, pids: number[] = []): Snapshot => ({
  kinds: Object.fromEntries(Object.entries(kinds).map(([k, v]) => [k, new Set(v)])),
  pids: new Set(pids),
});
const noProcs = () => [];

describe("the leak check", () => {
  it("reports what a test added, by kind", () => {
    assert.deepEqual(leaks(snap({ mounts: ["/"], links: ["lo"] }), snap({ mounts: ["/", "/tmp/vst-x/mnt"], links: ["lo", "vsh100"] }), 10, noProcs), ["mounts: /tmp/vst-x/mnt", "links: vsh100"]);
  });

  it("does not count /run/netns, which iproute2 makes once per machine at the first `ip netns add`", () => {
    assert.deepEqual(leaks(snap({ mounts: ["/"] }), snap({ mounts: ["/", "/run/netns"] }), 10, noProcs), []);
    // A namespace bound under it is a test's own and still counts.
    assert.deepEqual(leaks(snap({ mounts: ["/"] }), snap({ mounts: ["/", "/run/netns", "/run/netns/vst-a"] }), 10, noProcs), ["mounts: /run/netns/vst-a"]);
  });

  it("counts a process of the run (under the runner) and a daemon a test left (adopted by PID 1), not one started beside the run", () => {
    // 10 is the runner, 20 someone's shell that was there before; 1 adopts orphans.
    const parents: Record<number, number> = { 10: 1, 20: 1, 11: 10, 12: 11, 30: 1, 21: 20, 22: 21 };
    const parent = (pid: number) => parents[pid] ?? 0;
    const before = new Set([1, 10, 20]);
    assert.equal(foreignProcess(12, before, 10, parent), false);
    assert.equal(foreignProcess(30, before, 10, parent), false);
    assert.equal(foreignProcess(22, before, 10, parent), true);
    const found = leaks(
      snap({ processes: [], cgroups: [] }, [1, 10, 20]),
      snap({ processes: ["12 node t.js", "30 vs-start", "22 sleep 9"], cgroups: ["memory/theirs", "memory/vst-ours", "memory/vst-empty"] }, [1, 10, 20, 12, 30, 22]),
      10,
      (cg) => (cg === "memory/theirs" ? [22] : cg === "memory/vst-ours" ? [22, 30] : []),
      parent,
    );
    assert.deepEqual(found, ["processes: 12 node t.js", "processes: 30 vs-start", "cgroups: memory/vst-ours", "cgroups: memory/vst-empty"]);
  });

  it("fails, naming the tool, when a tool it needs is missing or fails (an empty list would pass every comparison)", () => {
    assert.throws(() => lines("vst-no-such-tool", []), /`vst-no-such-tool ` is not installed/);
    assert.throws(() => lines("ip", ["nosuchobject", "list"]), /`ip nosuchobject list` failed \(exit \d+\)/);
  });
});
