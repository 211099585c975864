/**
 * The cgroup v2 backend under a real busybox server, as far as this hybrid host allows:
 * its cgroup2 mount (/sys/fs/cgroup/unified) has no resource controllers, so the server
 * is started into a v2 group there and the core runs for real: cgroup.procs (the init
 * and what it forks are in the group), the eBPF device filter (a mknod-ed disk cannot
 * be opened), cgroup.freeze (a busy loop inside accrues no CPU in cpu.stat), cgroup.kill
 * (a fork bomb inside, held at 300 tasks by a v1 pids group so the host stays safe, is
 * gone at once, the group unpopulated); limits are refused
 * clearly (UNSUPPORTED naming the field) instead of silently ignored. The enforcement of
 * cpu.max, memory.max, pids.max and io.max is checked against recorded v2 semantics in
 * kernel/cgroup/v2/*.test.ts (docs/limits.md has the table).
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { after, before, describe, it } from "node:test";
import { AgentFailure } from "../../errors";
import { openCgroups, readCgroupMounts, type Cgroups } from "../../kernel/cgroup";
import { startTestVserver, type TestVserver } from "../../testing/test-vserver";
import { buildLimitsProbe } from "./testing/limits-probe";

let cg: Cgroups;
let vs: TestVserver | undefined;
let v2Root = "";
let work = "";
let pidsDir = "";

const events = (): Record<string, string> =>
  Object.fromEntries(fs.readFileSync(path.join(cg.dirs("srv")[0]!, "cgroup.events"), "utf8").trim().split("\n").map((l) => l.split(" ")));

describe("cgroup v2 backend under a busybox server (unified mount, real kernel)", () => {
  before(async () => {
    v2Root = (await readCgroupMounts()).v2 ?? "";
    assert.ok(v2Root, "this host mounts cgroup2");
    cg = await openCgroups({ backend: "v2", v2Root, parent: `vst-${randomBytes(4).toString("hex")}` });
    assert.equal(cg.version, "v2");
    await cg.create("srv");
    work = fs.mkdtempSync("/tmp/vst-v2probe-");
    const probe = buildLimitsProbe(work);
    // The unified mount has no pids controller: a v1 pids group keeps the fork bomb
    // below from hurting the host (the server joins it too; nothing else of v1).
    pidsDir = `/sys/fs/cgroup/pids/${cg.parent}`;
    fs.mkdirSync(pidsDir);
    fs.writeFileSync(path.join(pidsDir, "pids.max"), "300");
    const procs = [...cg.procsFiles("srv"), path.join(pidsDir, "cgroup.procs")];
    vs = await startTestVserver("v2", {
      files: { "/bin/limits-probe": { data: fs.readFileSync(probe), mode: 0o755 } },
      launch: { cgroupProcs: procs },
    });
    // Commands run inside join the same groups as the init (as the engine's exec does).
    vs.target.cgroupProcs = procs;
  });
  after(async () => {
    await vs?.cleanup();
    await cg.remove("srv", { kill: true }).catch(() => undefined);
    for (const dir of [...cg.parentDirs(), pidsDir]) if (dir && fs.existsSync(dir)) fs.rmdirSync(dir);
    fs.rmSync(work, { recursive: true, force: true });
  });

  it("cgroup.procs: the init and what runs inside are in the v2 group", async () => {
    assert.deepEqual(cg.procsFiles("srv"), [path.join(v2Root, cg.parent, "srv", "cgroup.procs")]);
    // busybox init runs its sysinit step first; then the init is alone in the group.
    let pids = await cg.pids("srv");
    for (let i = 0; i < 200 && pids.length !== 1; i++, await sleep(10)) pids = await cg.pids("srv");
    assert.deepEqual(pids, [vs!.started.initPid]);
    // Inside, the group is the root of the guest's cgroup namespace.
    const inside = await vs!.sh("sleep 3 >/dev/null 2>&1 & cat /proc/self/cgroup");
    assert.match(inside.stdout, /^0::\/$/m);
    assert.equal((await cg.pids("srv")).length, 2, "init and the sleep it was left with");
    assert.equal(events().populated, "1");
  });

  it("the eBPF device filter: a mknod-ed disk cannot be opened, /dev/null can", async () => {
    const r = await vs!.sh("mknod /tmp/disk b 7 0 2>/dev/null; dd if=/tmp/disk of=/dev/null bs=512 count=1 2>&1 && echo disk=read || echo disk=denied; echo x > /dev/null && echo null=ok");
    assert.match(r.stdout, /^disk=denied$/m, r.stdout);
    assert.match(r.stdout, /^null=ok$/m);
  });

  it("cgroup.freeze: a busy loop inside accrues no CPU while frozen (cpu.stat), and runs again after thaw", async () => {
    const loop = vs!.sh("timeout -s KILL 5 sh -c 'while :; do :; done'").catch((e: unknown) => e);
    await sleep(500);
    const running = (await cg.usage("srv")).cpu!.usageUsec;
    await sleep(500);
    assert.ok((await cg.usage("srv")).cpu!.usageUsec - running > 50_000, "the loop runs");
    await cg.freeze("srv");
    assert.equal(events().frozen, "1");
    const a = (await cg.usage("srv")).cpu!.usageUsec;
    await sleep(1000);
    const b = (await cg.usage("srv")).cpu!.usageUsec;
    assert.ok(b - a < 20_000, `frozen: ${b - a} µs of CPU in 1 s`);
    await cg.thaw("srv");
    await sleep(1000);
    assert.ok((await cg.usage("srv")).cpu!.usageUsec - b > 100_000, "runs again");
    await loop;
  });

  it("cgroup.kill: a fork bomb inside is gone at once; the group is unpopulated", async () => {
    // Its vs-enter is in the group as well and dies with it.
    const bomb = vs!.sh("/bin/limits-probe forkbomb >/dev/null 2>&1").catch((e: unknown) => e);
    for (let i = 0; i < 500 && (await cg.pids("srv")).length < 290; i++) await sleep(10);
    assert.ok((await cg.pids("srv")).length >= 290, "the bomb filled the (v1) pids limit");
    await cg.killAll("srv", "SIGKILL");
    assert.match(String(await bomb), /vs-enter killed by SIGKILL/);
    assert.deepEqual(await cg.pids("srv"), []);
    assert.equal(events().populated, "0");
    // Dead: gone, or a zombie until its monitor reaps it. A pid namespace's init that got
    // SIGKILL first waits (state S, no mm) until the kernel has reaped its namespace.
    const stateOf = (pid: number) => (fs.existsSync(`/proc/${pid}/stat`) ? fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]![0]! : "gone");
    let state = stateOf(vs!.started.initPid);
    for (let i = 0; i < 200 && !/^(gone|Z|X)$/.test(state); i++, await sleep(25)) state = stateOf(vs!.started.initPid);
    assert.match(state, /^(gone|Z|X)$/, "the init went with it");
  });

  it("limits this mount cannot enforce are refused, naming the field; nothing is written", async () => {
    for (const [patch, field] of [[{ cpuQuota: 0.5 }, "cpuQuota"], [{ memory: 64 << 20 }, "memory"], [{ pids: 100 }, "pids"]] as const) {
      await assert.rejects(cg.setLimits("srv", patch), (e: unknown) => e instanceof AgentFailure && e.code === "UNSUPPORTED" && e.field === field);
    }
    assert.deepEqual(await cg.readLimits("srv"), { cpuQuota: null, cpuWeight: 100, cpus: null, memory: null, swap: null, pids: null, io: [] });
  });
});
