/**
 * The v1 backend against a fake v1 tree: create in every hierarchy (cpuset inherited,
 * devices list written), and the memory/memsw write order with the kernel's rule
 * "memsw >= memory" enforced by the fake, plus EBUSY on lowering.
 */
import { after, beforeEach, test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { AgentFailure } from "../../../errors";
import { kernelFailure, type CgroupIo } from "../cgroup-io";
import type { CgroupMounts } from "../host-facts";
import { makeFakeTree, type FakeTree } from "../testing/fake-tree";
import { CgroupV1 } from "./backend";

const M = 1024 * 1024;
const unlimited = "9223372036854771712\n";
const controllers = ["cpuset", "cpu", "cpuacct", "memory", "pids", "blkio", "devices", "freezer"];
const filesOf: Record<string, Record<string, string>> = {
  cpuset: { "cpuset.cpus": "\n", "cpuset.mems": "\n" },
  cpu: { "cpu.cfs_period_us": "100000\n", "cpu.cfs_quota_us": "-1\n", "cpu.shares": "1024\n", "cpu.stat": "nr_periods 0\n" },
  cpuacct: { "cpuacct.usage": "0\n", "cpuacct.usage_user": "0\n", "cpuacct.usage_sys": "0\n" },
  memory: {
    "memory.limit_in_bytes": unlimited,
    "memory.memsw.limit_in_bytes": unlimited,
    "memory.usage_in_bytes": "0\n",
    "memory.memsw.usage_in_bytes": "0\n",
    "memory.use_hierarchy": "1\n",
  },
  pids: { "pids.max": "max\n" },
  blkio: Object.fromEntries(["read_bps", "write_bps", "read_iops", "write_iops"].map((f) => [`blkio.throttle.${f}_device`, ""])),
  devices: { "devices.allow": "", "devices.deny": "", "devices.list": "a *:* rwm\n" },
  freezer: { "freezer.state": "THAWED\n" },
  systemd: {},
  unified: {},
};

let tree: FakeTree;
let busyBelow = 0;
const failure = (code: string, field?: string) => (error: unknown) =>
  error instanceof AgentFailure && error.code === code && (field === undefined || error.field === field);

/** The fake kernel's memory rules: memsw >= limit, and EBUSY below `busyBelow`. */
function kernelRules(io: CgroupIo): CgroupIo {
  const errno = (file: string, code: string) => kernelFailure("write to", file, Object.assign(new Error(code), { code }));
  const number = async (file: string) => {
    const text = (await io.read(file)).trim();
    return text === "-1" ? Infinity : Number(text);
  };
  return {
    ...io,
    async write(file, value) {
      const dir = path.dirname(file);
      const wanted = value === "-1" ? Infinity : Number(value);
      if (file.endsWith("/memory.limit_in_bytes")) {
        const memswFile = path.join(dir, "memory.memsw.limit_in_bytes");
        if ((await io.exists(memswFile)) && wanted > (await number(memswFile))) throw errno(file, "EINVAL");
        if (wanted < busyBelow) throw errno(file, "EBUSY");
      }
      if (file.endsWith("/memory.memsw.limit_in_bytes") && wanted < (await number(path.join(dir, "memory.limit_in_bytes")))) {
        throw errno(file, "EINVAL");
      }
      await io.write(file, value);
    },
  };
}

async function open(): Promise<CgroupV1> {
  const mounts: CgroupMounts = {
    v1: [
      ...controllers.map((c) => ({ mountpoint: path.join(tree.root, c), controllers: [c], name: null })),
      { mountpoint: path.join(tree.root, "systemd"), controllers: [], name: "systemd" },
    ],
    v2: path.join(tree.root, "unified"),
  };
  const limits = {
    resources: { onlineCpus: [0, 1], cpuCount: 2, memoryBytes: 8192 * M },
    checkDevice: async () => "disk" as const,
  };
  return new CgroupV1({ mounts, parent: "vst-unit", limits, io: kernelRules(tree.io) });
}

beforeEach(async () => {
  await tree?.dispose();
  busyBelow = 0;
  tree = await makeFakeTree({}, (dir) => ({ "cgroup.procs": "", ...filesOf[dir.split("/")[0]!] }));
  for (const c of [...controllers, "systemd", "unified"]) await tree.io.mkdir(path.join(tree.root, c));
  await tree.put("cpuset/cpuset.cpus", "0-1\n");
  await tree.put("cpuset/cpuset.mems", "0\n");
  tree.writes.length = 0;
});
after(async () => tree?.dispose());

const writes = () => tree.writes.map((w) => `${w.file} < ${w.value}`);

test("create: a directory per hierarchy, cpuset copied from the parent, devices denied then allowed", async () => {
  const cg = await open();
  await cg.create("web1");
  assert.deepEqual(cg.procsFiles("web1").map((f) => path.relative(tree.root, f)), [
    ...controllers.map((c) => `${c}/vst-unit/web1/cgroup.procs`),
    "systemd/vst-unit/web1/cgroup.procs",
    "unified/vst-unit/web1/cgroup.procs",
  ]);
  const w = writes();
  assert.deepEqual(w.slice(0, 4), [
    "cpuset/vst-unit/cpuset.cpus < 0-1",
    "cpuset/vst-unit/cpuset.mems < 0",
    "cpuset/vst-unit/web1/cpuset.cpus < 0-1",
    "cpuset/vst-unit/web1/cpuset.mems < 0",
  ]);
  assert.deepEqual(w.slice(4), [
    "devices/vst-unit/web1/devices.deny < a",
    "devices/vst-unit/web1/devices.allow < c *:* m",
    "devices/vst-unit/web1/devices.allow < b *:* m",
    "devices/vst-unit/web1/devices.allow < c 1:3 rwm",
    "devices/vst-unit/web1/devices.allow < c 1:5 rwm",
    "devices/vst-unit/web1/devices.allow < c 1:7 rwm",
    "devices/vst-unit/web1/devices.allow < c 1:8 rwm",
    "devices/vst-unit/web1/devices.allow < c 1:9 rwm",
    "devices/vst-unit/web1/devices.allow < c 5:0 rwm",
    "devices/vst-unit/web1/devices.allow < c 5:1 rwm",
    "devices/vst-unit/web1/devices.allow < c 5:2 rwm",
    "devices/vst-unit/web1/devices.allow < c 136:* rwm",
  ]);
});

test("cpu: quota over the 100 ms period, weight as shares", async () => {
  const cg = await open();
  await cg.create("web1", { devices: "unrestricted" });
  tree.writes.length = 0;
  await cg.setLimits("web1", { cpuQuota: 1.5, cpuWeight: 50, pids: 100 });
  assert.deepEqual(writes(), [
    "pids/vst-unit/web1/pids.max < 100",
    "cpu/vst-unit/web1/cpu.cfs_period_us < 100000",
    "cpu/vst-unit/web1/cpu.cfs_quota_us < 150000",
    "cpu/vst-unit/web1/cpu.shares < 512",
  ]);
  const limits = await cg.readLimits("web1");
  assert.equal(limits.cpuQuota, 1.5);
  assert.equal(limits.cpuWeight, 50);
});

test("memory and memsw are written in the order the kernel accepts", async () => {
  const cg = await open();
  await cg.create("web1", { devices: "unrestricted" });
  const mem = (n: number) => `memory/vst-unit/web1/memory.limit_in_bytes < ${n}`;
  const memsw = (n: number | string) => `memory/vst-unit/web1/memory.memsw.limit_in_bytes < ${n}`;
  const step = async (patch: object, expected: string[]) => {
    tree.writes.length = 0;
    await cg.setLimits("web1", patch);
    assert.deepEqual(writes(), expected, JSON.stringify(patch));
  };
  await step({ memory: 512 * M, swap: 0 }, [mem(512 * M), memsw(512 * M)]); // from unlimited: down
  await step({ memory: 1024 * M }, [memsw(1024 * M), mem(1024 * M)]); // raise: memsw first, swap stays 0
  await step({ swap: 256 * M }, [memsw(1280 * M), mem(1024 * M)]);
  await step({ memory: 64 * M }, [mem(64 * M), memsw(320 * M)]); // lower: memory first
  assert.deepEqual(await cg.readLimits("web1").then((l) => [l.memory, l.swap]), [64 * M, 256 * M]);
  await step({ memory: null }, [memsw(-1), mem(-1)]); // unlimited memory takes swap along
  assert.deepEqual(await cg.readLimits("web1").then((l) => [l.memory, l.swap]), [null, null]);
});

test("swap without a memory limit is UNSUPPORTED on v1, and nothing is written", async () => {
  const cg = await open();
  await cg.create("web1", { devices: "unrestricted" });
  tree.writes.length = 0;
  await assert.rejects(cg.setLimits("web1", { swap: 128 * M }), failure("UNSUPPORTED", "swap"));
  assert.deepEqual(writes(), []);
});

test("without memsw (swapaccount=0) a swap limit is UNSUPPORTED, unlimited swap is fine", async () => {
  const cg = await open();
  await cg.create("web1", { devices: "unrestricted" });
  const { rm } = await import("node:fs/promises");
  await rm(path.join(tree.root, "memory/vst-unit/web1/memory.memsw.limit_in_bytes"));
  await assert.rejects(cg.setLimits("web1", { memory: 64 * M, swap: 0 }), failure("UNSUPPORTED", "swap"));
  tree.writes.length = 0;
  await cg.setLimits("web1", { memory: 64 * M, swap: null });
  assert.deepEqual(writes(), [`memory/vst-unit/web1/memory.limit_in_bytes < ${64 * M}`]);
});

test("EBUSY on lowering memory becomes BUSY on the field, and nothing else changes", async () => {
  const cg = await open();
  await cg.create("web1", { devices: "unrestricted" });
  await cg.setLimits("web1", { memory: 512 * M, swap: 0 });
  await tree.put("memory/vst-unit/web1/memory.usage_in_bytes", `${300 * M}\n`);
  busyBelow = 300 * M;
  await assert.rejects(cg.setLimits("web1", { memory: 128 * M, pids: 10 }), (error: unknown) => {
    assert.ok(failure("BUSY", "memory")(error));
    assert.match((error as Error).message, /300M/);
    assert.match((error as Error).message, /EBUSY/);
    return true;
  });
  const limits = await cg.readLimits("web1");
  assert.deepEqual([limits.memory, limits.swap, limits.pids], [512 * M, 0, null]);
});

test("create again on a group that has the policy writes no device rule (no deny window)", async () => {
  const cg = await open();
  await cg.create("web1");
  const { defaultDeviceRules, formatDeviceRule } = await import("../device-policy");
  await tree.put("devices/vst-unit/web1/devices.list", defaultDeviceRules.map(formatDeviceRule).join("\n") + "\n");
  tree.writes.length = 0;
  await cg.create("web1");
  assert.deepEqual(writes(), []);
});
