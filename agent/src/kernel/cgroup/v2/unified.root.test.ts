/**
 * The v2 backend for real, on this hybrid host's cgroup2 mount (/sys/fs/cgroup/unified):
 * no resource controllers there, but the core files are: create/remove, moving
 * processes in, freeze/thaw, cgroup.kill, cgroup.events.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import fsp from "node:fs/promises";
import { queryDeviceFilters } from "@/native";
import { V2DeviceFilter } from "../device-filter";
import path from "node:path";
import { AgentFailure } from "../../../errors";
import { readCgroupMounts } from "../host-facts";
import { isAlive, pause, rootHarness, type Harness } from "../testing/root-harness";

let h: Harness;
let root: string;
before(async () => {
  const v2 = (await readCgroupMounts()).v2;
  assert.ok(v2, "this host mounts cgroup2");
  root = v2;
  h = await rootHarness({ backend: "v2", v2Root: root });
});
after(() => h.cleanup());

const events = async (name: string) => {
  const text = await fsp.readFile(path.join(h.cg.dirs(name)[0]!, "cgroup.events"), "utf8");
  return Object.fromEntries(text.trim().split("\n").map((line) => line.split(" ")));
};
/** utime + stime of a process in clock ticks, from /proc/PID/stat. */
const cpuTicks = async (pid: number) => {
  const stat = await fsp.readFile(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return Number(fields[11]) + Number(fields[12]);
};

test("create attaches the eBPF device filter; list; without the native loader create refuses and makes nothing", async () => {
  await h.cg.create("u1");
  await h.cg.create("u1"); // idempotent: the filter is replaced, never doubled
  const fd = fs.openSync(h.cg.dirs("u1")[0]!, fs.constants.O_RDONLY | fs.constants.O_DIRECTORY);
  try {
    assert.equal(queryDeviceFilters(fd).length, 1, "exactly one device program on the group");
  } finally {
    fs.closeSync(fd);
  }
  assert.deepEqual(await h.cg.list(), ["u1"]);
  assert.deepEqual(h.cg.procsFiles("u1"), [path.join(root, h.cg.parent, "u1", "cgroup.procs")]);
  assert.deepEqual(await events("u1"), { populated: "0", frozen: "0" });

  const blind = await rootHarness({ backend: "v2", v2Root: root, deviceFilter: new V2DeviceFilter(null, "test: no loader") });
  try {
    await assert.rejects(blind.cg.create("u2"), (e: unknown) => {
      assert.ok(e instanceof AgentFailure && e.code === "UNSUPPORTED" && e.field === "devices");
      assert.match(e.message, /no loader/);
      return true;
    });
    assert.equal(await blind.cg.exists("u2"), false, "nothing made on refusal");
  } finally {
    await blind.cleanup();
  }
});

test("a frozen busy loop accrues no CPU time; thawed it does", async () => {
  await h.cg.create("spin", { devices: "unrestricted" });
  const loop = await h.spawnIn("spin", ["sh", "-c", "while :; do :; done"]);
  assert.equal((await events("spin")).populated, "1");
  assert.deepEqual(await h.cg.pids("spin"), [loop.pid]);

  await h.cg.freeze("spin");
  assert.equal((await events("spin")).frozen, "1");
  const frozenAt = await cpuTicks(loop.pid);
  await pause(1000);
  assert.equal(await cpuTicks(loop.pid), frozenAt, "no CPU while frozen");

  await h.cg.thaw("spin");
  assert.equal((await events("spin")).frozen, "0");
  await pause(1000);
  assert.ok((await cpuTicks(loop.pid)) > frozenAt + 10, "runs again after thaw");

  const usage = await h.cg.usage("spin");
  assert.ok(usage.cpu!.usageUsec > 100_000);
  assert.equal(usage.cpu!.throttling, null, "no cpu controller here");
  assert.deepEqual([usage.memory, usage.tasks, usage.io, usage.processes], [null, null, null, 1]);
});

test("cgroup.kill empties the group; populated goes to 0; remove leaves no directory", async () => {
  await h.cg.create("kill", { devices: "unrestricted" });
  const shell = await h.spawnIn("kill", ["sh", "-c", "for i in $(seq 50); do sleep 1000 & done; wait"]);
  let pids: number[] = [];
  for (let i = 0; i < 500 && pids.length < 51; i++, await pause(10)) pids = await h.cg.pids("kill");
  assert.equal(pids.length, 51);

  await h.cg.killAll("kill");
  assert.equal((await events("kill")).populated, "0");
  assert.equal((await shell.exited).signal, "SIGKILL");
  for (const pid of pids) assert.equal(await isAlive(pid), false, `pid ${pid} survived`);

  await h.cg.remove("kill");
  await assert.rejects(fsp.access(h.cg.dirs("kill")[0]!), { code: "ENOENT" });
});

test("other signals go freeze → signal → thaw", async () => {
  await h.cg.create("term", { devices: "unrestricted" });
  const sleeper = await h.spawnIn("term", ["sleep", "1000"]);
  await h.cg.killAll("term", "SIGTERM");
  assert.equal((await sleeper.exited).signal, "SIGTERM");
  assert.equal((await events("term")).frozen, "0");
  await h.cg.remove("term");
});

test("limits without controllers are UNSUPPORTED and name the field", async () => {
  await h.cg.create("bare", { devices: "unrestricted" });
  for (const [patch, field] of [
    [{ cpuQuota: 0.5 }, "cpuQuota"],
    [{ memory: 64 * 1024 * 1024 }, "memory"],
    [{ pids: 10 }, "pids"],
  ] as const) {
    await assert.rejects(h.cg.setLimits("bare", patch), (e: unknown) => {
      return e instanceof AgentFailure && e.code === "UNSUPPORTED" && e.field === field;
    });
  }
  assert.deepEqual(await h.cg.readLimits("bare"), {
    cpuQuota: null, cpuWeight: 100, cpus: null, memory: null, swap: null, pids: null, io: [],
  });
});
