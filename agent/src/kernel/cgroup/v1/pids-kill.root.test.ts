/**
 * v1 on this host, for real: a fork loop stops at pids.max, killAll empties a group
 * atomically (also one that keeps forking), freeze stops CPU use, and remove leaves no
 * directory in any hierarchy.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import fsp from "node:fs/promises";
import { AgentFailure } from "../../../errors";
import { isAlive, pause, rootHarness, type Harness } from "../testing/root-harness";

let h: Harness;
before(async () => {
  h = await rootHarness();
  assert.equal(h.cg.version, "v1", "this test is for a v1 (or hybrid) host");
});
after(() => h.cleanup());

const forker = `
import errno, os, time
n = 0
try:
    for _ in range(200):
        if os.fork() == 0:
            time.sleep(1000)
            os._exit(0)
        n += 1
    print("forked", n, "none", flush=True)
except OSError as e:
    print("forked", n, errno.errorcode[e.errno], flush=True)
time.sleep(1000)
`;

test("fork fails with EAGAIN at pids.max, and killAll still empties the group", async () => {
  await h.cg.create("forks");
  await h.cg.setLimits("forks", { pids: 20 });
  const parent = await h.spawnIn("forks", ["python3", "-c", forker]);
  await parent.waitFor("forked");
  const [, count, error] = parent.stdout().trim().split(" ");
  assert.equal(error, "EAGAIN", `stdout: ${JSON.stringify(parent.stdout())} stderr: ${parent.stderr()}`);
  assert.equal(Number(count), 19, "the parent plus 19 children make 20 tasks");
  const usage = await h.cg.usage("forks");
  assert.equal(usage.tasks, 20);
  assert.equal(usage.processes, 20);

  await h.cg.killAll("forks");
  assert.deepEqual(await h.cg.pids("forks"), []);
  assert.equal((await parent.exited).signal, "SIGKILL");
});

test("killAll kills 50 sleepers and a parent that keeps forking, with none left", async () => {
  await h.cg.create("sleepers");
  const script = 'i=0; while [ $i -lt 50 ]; do sleep 1000 & i=$((i+1)); done; while :; do sleep 1000 & sleep 0.02; done';
  const shell = await h.spawnIn("sleepers", ["sh", "-c", script]);
  let pids: number[] = [];
  for (let i = 0; i < 500 && pids.length < 60; i++, await pause(10)) pids = await h.cg.pids("sleepers");
  assert.ok(pids.length >= 60, `only ${pids.length} processes started`);

  await h.cg.killAll("sleepers", "SIGKILL");
  assert.deepEqual(await h.cg.pids("sleepers"), [], "the group is empty when killAll returns");
  assert.equal((await shell.exited).signal, "SIGKILL");
  for (const pid of pids) assert.equal(await isAlive(pid), false, `pid ${pid} survived`);
});

test("killAll with SIGTERM reaches every process (freeze, signal, thaw)", async () => {
  await h.cg.create("term");
  const shell = await h.spawnIn("term", ["sh", "-c", "for i in 1 2 3 4 5 6 7 8 9 10; do sleep 1000 & done; wait"]);
  for (let i = 0; i < 500 && (await h.cg.pids("term")).length < 11; i++) await pause(10);
  await h.cg.killAll("term", "SIGTERM");
  assert.equal((await shell.exited).signal, "SIGTERM");
  for (let i = 0; i < 500 && (await h.cg.pids("term")).length > 0; i++) await pause(10);
  assert.deepEqual(await h.cg.pids("term"), []);
  const freezer = h.cg.dirs("term").find((dir) => dir.startsWith("/sys/fs/cgroup/freezer/"))!;
  assert.equal((await fsp.readFile(`${freezer}/freezer.state`, "utf8")).trim(), "THAWED");
});

test("a frozen busy loop gets no CPU; thawed it runs again", async () => {
  await h.cg.create("frozen");
  await h.spawnIn("frozen", ["sh", "-c", "while :; do :; done"]);
  await h.cg.freeze("frozen");
  const atFreeze = (await h.cg.usage("frozen")).cpu!.usageUsec;
  await pause(1000);
  assert.equal((await h.cg.usage("frozen")).cpu!.usageUsec, atFreeze);
  await h.cg.thaw("frozen");
  await pause(500);
  assert.ok((await h.cg.usage("frozen")).cpu!.usageUsec > atFreeze + 50_000);
});

test("remove refuses a populated group, kills when asked, and leaves no directory", async () => {
  await h.cg.create("gone");
  await h.spawnIn("gone", ["sleep", "1000"]);
  await assert.rejects(h.cg.remove("gone"), (e: unknown) => e instanceof AgentFailure && e.code === "WRONG_STATE");
  const dirs = h.cg.dirs("gone");
  assert.equal(dirs.length, 10, "8 resource hierarchies + systemd + unified");
  await h.cg.remove("gone", { kill: true });
  for (const dir of dirs) {
    await assert.rejects(fsp.access(dir), { code: "ENOENT" }, dir);
  }
  assert.equal(await h.cg.exists("gone"), false);
  assert.ok(!(await h.cg.list()).includes("gone"));
  await h.cg.remove("gone"); // missing is fine
});
