import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { leaks, lines, type Snapshot } from "./host-snapshot";

const snap = (mounts: string[], links: string[] = []): Snapshot => ({ mounts: new Set(mounts), links: new Set(links) });

describe("the leak check", () => {
  it("reports what a test added, by kind", () => {
    assert.deepEqual(leaks(snap(["/"], ["lo"]), snap(["/", "/tmp/vst-x/mnt"], ["lo", "vsh100"])), ["mounts: /tmp/vst-x/mnt", "links: vsh100"]);
  });

  it("does not count /run/netns, which iproute2 makes once per machine at the first `ip netns add`", () => {
    assert.deepEqual(leaks(snap(["/"]), snap(["/", "/run/netns"])), []);
    // A namespace bound under it is a test's own and still counts.
    assert.deepEqual(leaks(snap(["/"]), snap(["/", "/run/netns", "/run/netns/vst-a"])), ["mounts: /run/netns/vst-a"]);
  });

  it("fails, naming the tool, when a tool it needs is missing or fails (an empty list would pass every comparison)", () => {
    assert.throws(() => lines("vst-no-such-tool", []), /`vst-no-such-tool ` is not installed/);
    assert.throws(() => lines("ip", ["nosuchobject", "list"]), /`ip nosuchobject list` failed \(exit \d+\)/);
  });
});
