/**
 * The v2 backend against a fake cgroup2 tree: exactly what it writes to each interface
 * file, in which order, and what it refuses before writing anything.
 */
import { after, beforeEach, test } from "node:test";
import assert from "node:assert/strict";
import { AgentFailure } from "../../../errors";
import type { BlockDeviceKind } from "../block-device";
import { V2DeviceFilter, type NativeDeviceRule } from "../device-filter";
import { defaultDeviceRules } from "../device-policy";
import { makeFakeTree, type FakeTree } from "../testing/fake-tree";
import { CgroupV2 } from "./backend";

const M = 1024 * 1024;
const parent = "vst-unit";
const groupFiles = (dir: string): Record<string, string> => ({
  "cgroup.controllers": "cpuset cpu io memory pids\n",
  "cgroup.subtree_control": "\n",
  "cgroup.procs": "",
  "cgroup.events": "populated 0\nfrozen 0\n",
  "cgroup.freeze": "0\n",
  "cgroup.kill": "",
  ...(dir === parent
    ? {}
    : {
        "cpu.max": "max 100000\n",
        "cpu.weight": "100\n",
        "cpu.stat": "usage_usec 0\nuser_usec 0\nsystem_usec 0\nnr_periods 0\nnr_throttled 0\nthrottled_usec 0\n",
        "cpuset.cpus": "\n",
        "memory.max": "max\n",
        "memory.high": "max\n",
        "memory.swap.max": "max\n",
        "memory.current": "0\n",
        "memory.reclaim": "",
        "pids.max": "max\n",
        "io.max": "",
      }),
});

let tree: FakeTree;
const limits = {
  resources: { onlineCpus: [0, 1], cpuCount: 2, memoryBytes: 8192 * M },
  checkDevice: async (device: string): Promise<BlockDeviceKind> =>
    device === "8:0" ? "disk" : device === "8:1" ? "partition" : "missing",
};
const open = (native: V2DeviceFilter | undefined = undefined) =>
  CgroupV2.open({ root: tree.root, parent, limits, io: tree.io, deviceFilter: native });
const writes = () => tree.writes.map((w) => `${w.file} < ${w.value}`);
const failure = (code: string, field?: string) => (error: unknown) =>
  error instanceof AgentFailure && error.code === code && (field === undefined || error.field === field);

beforeEach(async () => {
  await tree?.dispose();
  tree = await makeFakeTree(
    { "cgroup.controllers": "cpuset cpu io memory hugetlb pids rdma misc\n", "cgroup.subtree_control": "\n", "cgroup.procs": "" },
    groupFiles,
  );
});
after(async () => tree?.dispose());

test("create enables exactly the needed controllers in root and parent", async () => {
  const cg = await open();
  assert.deepEqual(cg.controllers, ["cpuset", "cpu", "io", "memory", "pids"]);
  await cg.create("web1", { devices: "unrestricted" });
  assert.deepEqual(writes(), [
    "cgroup.subtree_control < +cpuset +cpu +io +memory +pids",
    "vst-unit/cgroup.subtree_control < +cpuset +cpu +io +memory +pids",
  ]);
  assert.deepEqual(await cg.list(), ["web1"]);
  assert.deepEqual(cg.procsFiles("web1"), [`${tree.root}/vst-unit/web1/cgroup.procs`]);
});

test("create skips controllers that are already enabled (idempotent)", async () => {
  await tree.put("cgroup.subtree_control", "cpu memory pids\n");
  const cg = await open();
  await cg.create("web1", { devices: "unrestricted" });
  assert.deepEqual(writes(), [
    "cgroup.subtree_control < +cpuset +io",
    "vst-unit/cgroup.subtree_control < +cpuset +cpu +io +memory +pids",
  ]);
  // What the kernel then shows; a second create writes nothing.
  await tree.put("cgroup.subtree_control", "cpuset cpu io memory pids\n");
  await tree.put("vst-unit/cgroup.subtree_control", "cpuset cpu io memory pids\n");
  tree.writes.length = 0;
  await cg.create("web1", { devices: "unrestricted" });
  assert.deepEqual(writes(), []);
});

test("without the native device filter, create refuses and makes nothing", async () => {
  const cg = await open(new V2DeviceFilter(null, "vsnative.node not built"));
  await assert.rejects(cg.create("web1"), (error: unknown) => {
    assert.ok(failure("UNSUPPORTED", "devices")(error));
    assert.match((error as Error).message, /vsnative.node not built/);
    return true;
  });
  assert.deepEqual(writes(), []);
  assert.equal(await cg.exists("web1"), false);
});

test("with a native filter, create attaches the default rules in the kernel's encoding", async () => {
  const calls: { fd: number; rules: readonly NativeDeviceRule[] }[] = [];
  const cg = await open(new V2DeviceFilter({ attachDeviceFilter: (fd, rules) => (calls.push({ fd, rules }), 7) }));
  await cg.create("web1");
  assert.equal(calls.length, 1);
  assert.ok(Number.isInteger(calls[0]!.fd) && calls[0]!.fd > 2);
  assert.equal(calls[0]!.rules.length, defaultDeviceRules.length);
  assert.deepEqual(calls[0]!.rules[0], { type: 2, major: -1, minor: -1, access: 1 }); // c *:* m
  assert.deepEqual(calls[0]!.rules[1], { type: 1, major: -1, minor: -1, access: 1 }); // b *:* m
  assert.deepEqual(calls[0]!.rules[2], { type: 2, major: 1, minor: 3, access: 7 }); // c 1:3 rwm
  assert.deepEqual(calls[0]!.rules.at(-1), { type: 2, major: 136, minor: -1, access: 7 }); // pts
});

test("setLimits writes each v2 file exactly, and readLimits reads them back", async () => {
  const cg = await open();
  await cg.create("web1", { devices: "unrestricted" });
  tree.writes.length = 0;
  const wanted = {
    memory: 256 * M,
    swap: 0,
    pids: 128,
    cpuQuota: 0.5,
    cpuWeight: 200,
    cpus: "1",
    io: [{ device: "8:0", readBps: 20 * M, writeBps: null, readIops: null, writeIops: 1000 }],
  };
  await cg.setLimits("web1", wanted);
  assert.deepEqual(writes(), [
    `vst-unit/web1/memory.max < ${256 * M}`,
    "vst-unit/web1/memory.swap.max < 0",
    "vst-unit/web1/pids.max < 128",
    "vst-unit/web1/cpu.max < 50000 100000",
    "vst-unit/web1/cpu.weight < 200",
    "vst-unit/web1/cpuset.cpus < 1",
    `vst-unit/web1/io.max < 8:0 rbps=${20 * M} wbps=max riops=max wiops=1000`,
  ]);
  assert.deepEqual(await cg.readLimits("web1"), wanted);
});

test("unlimited is written as max, and a device dropped from io is cleared", async () => {
  const cg = await open();
  await cg.create("web1", { devices: "unrestricted" });
  await cg.setLimits("web1", { io: [{ device: "8:0", readBps: 1, writeBps: 2, readIops: 3, writeIops: 4 }] });
  tree.writes.length = 0;
  await cg.setLimits("web1", { memory: null, swap: null, pids: null, cpuQuota: null, cpus: null, io: [] });
  assert.deepEqual(writes(), [
    "vst-unit/web1/memory.max < max",
    "vst-unit/web1/memory.swap.max < max",
    "vst-unit/web1/pids.max < max",
    "vst-unit/web1/cpu.max < max 100000",
    "vst-unit/web1/cpuset.cpus < \n",
    "vst-unit/web1/io.max < 8:0 rbps=max wbps=max riops=max wiops=max",
  ]);
});

test("lowering memory below usage: reclaim, then BUSY and the old limit stays", async () => {
  const cg = await open();
  await cg.create("web1", { devices: "unrestricted" });
  await tree.put("vst-unit/web1/memory.current", `${300 * M}\n`);
  tree.writes.length = 0;
  await assert.rejects(cg.setLimits("web1", { memory: 128 * M }), failure("BUSY", "memory"));
  assert.deepEqual(writes(), [`vst-unit/web1/memory.reclaim < ${172 * M}`]);
  assert.equal((await tree.get("vst-unit/web1/memory.max")).trim(), "max");
});

test("bad input names the field and writes nothing", async () => {
  const cg = await open();
  await cg.create("web1", { devices: "unrestricted" });
  tree.writes.length = 0;
  const io = (device: string, readBps: number | null = 1) => [{ device, readBps, writeBps: null, readIops: null, writeIops: null }];
  const cases: [Record<string, unknown>, string][] = [
    [{ memory: 0 }, "memory"],
    [{ memory: -5 }, "memory"],
    [{ memory: 9000 * M }, "memory"],
    [{ swap: -1 }, "swap"],
    [{ cpuQuota: 3 }, "cpuQuota"],
    [{ cpuQuota: 0 }, "cpuQuota"],
    [{ cpuWeight: 0 }, "cpuWeight"],
    [{ cpuWeight: 10001 }, "cpuWeight"],
    [{ cpus: "0-7" }, "cpus"],
    [{ cpus: "1-0" }, "cpus"],
    [{ pids: 0 }, "pids"],
    [{ io: io("9:9") }, "io[0].device"],
    [{ io: io("8:1") }, "io[0].device"],
    [{ io: io("8:0", 0) }, "io[0].readBps"],
    [{ memory: 64 * M, bogus: 1 }, "bogus"],
  ];
  for (const [patch, field] of cases) {
    await assert.rejects(cg.setLimits("web1", patch), failure("BAD_REQUEST", field), JSON.stringify(patch));
  }
  assert.deepEqual(writes(), []);
});

test("a kernel failure half-way puts back what was already written", async () => {
  const cg = await open();
  await cg.create("web1", { devices: "unrestricted" });
  await cg.setLimits("web1", { memory: 512 * M });
  const { rm } = await import("node:fs/promises");
  await rm(`${tree.root}/vst-unit/web1/pids.max`); // the next write after memory fails (ENOENT)
  tree.writes.length = 0;
  await assert.rejects(cg.setLimits("web1", { memory: 256 * M, pids: 64 }), failure("KERNEL"));
  assert.deepEqual(writes(), [
    `vst-unit/web1/memory.max < ${256 * M}`,
    "vst-unit/web1/pids.max < 64",
    `vst-unit/web1/memory.max < ${512 * M}`,
  ]);
});

test("a controller the parent does not hand down is UNSUPPORTED for its field", async () => {
  const cg = await open();
  await cg.create("web1", { devices: "unrestricted" });
  await tree.put("vst-unit/web1/cgroup.controllers", "cpu memory pids\n");
  await assert.rejects(
    cg.setLimits("web1", { io: [{ device: "8:0", readBps: 1, writeBps: null, readIops: null, writeIops: null }] }),
    failure("UNSUPPORTED", "io"),
  );
  await assert.rejects(cg.setLimits("web1", { cpus: "0" }), failure("UNSUPPORTED", "cpus"));
});

test("remove refuses a populated group unless asked to kill; kill uses cgroup.kill", async () => {
  const cg = await open();
  await cg.create("web1", { devices: "unrestricted" });
  await tree.put("vst-unit/web1/cgroup.procs", "4194301\n"); // never signalled: remove refuses first
  await assert.rejects(cg.remove("web1"), failure("WRONG_STATE"));
  await tree.put("vst-unit/web1/cgroup.procs", "");
  tree.writes.length = 0;
  await cg.killAll("web1"); // populated 0 in the fake: returns at once
  assert.deepEqual(writes(), ["vst-unit/web1/cgroup.kill < 1"]);
  await cg.remove("web1");
  assert.equal(await cg.exists("web1"), false);
});

test("names are checked before any path is built", async () => {
  const cg = await open();
  for (const name of ["../x", "a/b", "", ".hidden", "cgroup.procs", "memory.max", "tasks"]) {
    await assert.rejects(cg.create(name, { devices: "unrestricted" }), failure("BAD_REQUEST", "name"), name);
  }
});
