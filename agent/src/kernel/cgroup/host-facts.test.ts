import { test } from "node:test";
import assert from "node:assert/strict";
import { cgroupLayout, parseCgroupMounts, pickBackend } from "./host-facts";
import { v1Layout } from "./v1/layout";

// This machine: v1 controllers, a named systemd hierarchy and a cgroup2 mount with hugetlb.
const hybrid = `30 22 0:27 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
31 30 0:28 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
32 30 0:29 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct
33 30 0:30 / /sys/fs/cgroup/cpuset rw,relatime - cgroup cgroup rw,cpuset
34 30 0:31 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
35 30 0:32 / /sys/fs/cgroup/devices rw,relatime - cgroup cgroup rw,devices
36 30 0:33 / /sys/fs/cgroup/freezer rw,relatime - cgroup cgroup rw,freezer
37 30 0:34 / /sys/fs/cgroup/blkio rw,relatime - cgroup cgroup rw,blkio
38 30 0:35 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
39 30 0:36 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd
40 30 0:37 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
`;

// Debian 10 style v1: co-mounted cpu,cpuacct, optional fields before the separator.
const debian10 = `25 18 0:22 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:4 - tmpfs tmpfs ro,mode=755
26 25 0:23 / /sys/fs/cgroup/unified rw,nosuid,nodev,noexec,relatime shared:5 - cgroup2 cgroup2 rw,nsdelegate
27 25 0:24 / /sys/fs/cgroup/systemd rw,nosuid,nodev,noexec,relatime shared:6 - cgroup cgroup rw,xattr,name=systemd
31 25 0:28 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid,nodev,noexec,relatime shared:10 - cgroup cgroup rw,cpu,cpuacct
32 25 0:29 / /sys/fs/cgroup/memory rw,nosuid,nodev,noexec,relatime shared:11 - cgroup cgroup rw,memory
33 25 0:30 / /sys/fs/cgroup/net_cls,net_prio rw,nosuid,nodev,noexec,relatime shared:12 - cgroup cgroup rw,net_cls,net_prio
`;

const pureV2 = `25 18 0:22 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot
`;

test("this machine's hybrid: v1 backend, cgroup2 only for tracking", () => {
  const mounts = parseCgroupMounts(hybrid);
  assert.equal(cgroupLayout(mounts), "hybrid");
  assert.equal(pickBackend(mounts), "v1");
  assert.equal(mounts.v2, "/sys/fs/cgroup/unified");
  const layout = v1Layout(mounts);
  assert.deepEqual(
    layout.places.map((p) => p.mountpoint.replace("/sys/fs/cgroup/", "")),
    ["cpuset", "cpu", "cpuacct", "memory", "pids", "blkio", "devices", "freezer", "systemd", "unified"],
  );
});

test("co-mounted v1 controllers share one directory", () => {
  const mounts = parseCgroupMounts(debian10);
  assert.equal(pickBackend(mounts), "v1");
  const layout = v1Layout(mounts);
  assert.equal(layout.controllerMount.get("cpu"), "/sys/fs/cgroup/cpu,cpuacct");
  assert.equal(layout.controllerMount.get("cpuacct"), "/sys/fs/cgroup/cpu,cpuacct");
  assert.deepEqual(
    layout.places.map((p) => [p.mountpoint, p.controllers]),
    [
      ["/sys/fs/cgroup/cpu,cpuacct", ["cpu", "cpuacct"]],
      ["/sys/fs/cgroup/memory", ["memory"]],
      ["/sys/fs/cgroup/systemd", []],
      ["/sys/fs/cgroup/unified", []],
    ],
  );
  assert.equal(mounts.v1.find((h) => h.name === "systemd")?.controllers.length, 0);
});

test("pure v2", () => {
  const mounts = parseCgroupMounts(pureV2);
  assert.equal(cgroupLayout(mounts), "v2");
  assert.equal(pickBackend(mounts), "v2");
  assert.equal(mounts.v2, "/sys/fs/cgroup");
});

test("v2 with a named-only v1 hierarchy is still v2; nothing mounted is none", () => {
  const mounts = parseCgroupMounts(
    pureV2 + "40 25 0:40 / /run/systemd-legacy rw,relatime - cgroup cgroup rw,name=systemd\n",
  );
  assert.equal(cgroupLayout(mounts), "v2");
  assert.equal(pickBackend(mounts), "v2");
  assert.equal(cgroupLayout(parseCgroupMounts("")), "none");
  assert.equal(pickBackend(parseCgroupMounts("")), null);
});

test("escaped mountpoints are decoded", () => {
  const mounts = parseCgroupMounts("1 0 0:50 / /mnt/my\\040cgroup rw - cgroup2 cgroup2 rw\n");
  assert.equal(mounts.v2, "/mnt/my cgroup");
});

test("readCgroupHostFacts on this host is consistent", async () => {
  const { readCgroupHostFacts } = await import("./host-facts");
  const facts = await readCgroupHostFacts();
  assert.equal(facts.backend, pickBackend(facts.mounts));
  assert.ok(facts.resources.cpuCount >= 1 && facts.resources.onlineCpus.length === facts.resources.cpuCount);
  assert.ok(facts.resources.memoryBytes > 0);
  assert.match(facts.deviceFilter, facts.backend === "v1" ? /^(v1-devices|unavailable: .+)$/ : /^(v2-bpf|unavailable: .+)$/);
});
