/**
 * v1 on this host, for real: allocating past the memory limit gets the allocator
 * OOM-killed (and counted) while its neighbours live; a live raise lets the same
 * allocation succeed; lowering below what is in use is refused with BUSY.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { AgentFailure } from "../../../errors";
import { isAlive, rootHarness, type Harness } from "../testing/root-harness";

const M = 1024 * 1024;
let h: Harness;
before(async () => {
  h = await rootHarness();
  assert.equal(h.cg.version, "v1", "this test is for a v1 (or hybrid) host");
});
after(() => h.cleanup());

// bytes * n writes every page, so the whole allocation is charged (a bytearray(n) is not).
const allocate = (mib: number, hold = false) => [
  "python3",
  "-c",
  `import time\nb = b"\\x01" * (${mib} << 20)\nprint("allocated", flush=True)\n${hold ? "time.sleep(1000)" : ""}`,
];

test("past memory.limit the allocator is OOM-killed; neighbours live; a live raise lets it through", async (t) => {
  await h.cg.create("mem");
  await h.cg.create("outside");
  await h.cg.setLimits("mem", { memory: 64 * M, swap: 0 });
  assert.deepEqual(await h.cg.readLimits("mem").then((l) => [l.memory, l.swap]), [64 * M, 0]);
  const neighbour = await h.spawnIn("mem", ["sleep", "1000"]);
  const outsider = await h.spawnIn("outside", ["sleep", "1000"]);
  const before = (await h.cg.usage("mem")).memory!;

  const hog = await h.spawnIn("mem", allocate(200));
  const end = await hog.exited;
  assert.equal(end.signal, "SIGKILL", `allocator ended with ${JSON.stringify(end)}: ${hog.stderr()}`);
  assert.ok(!hog.stdout().includes("allocated"));

  const after = (await h.cg.usage("mem")).memory!;
  t.diagnostic(`oom_kill ${before.oomKills} -> ${after.oomKills}, peak ${after.peakBytes} bytes`);
  assert.ok(after.oomKills > before.oomKills, "oom_kill count rose");
  assert.ok(after.peakBytes! > 32 * M && after.peakBytes! <= 64 * M, `peak ${after.peakBytes}`);
  assert.ok(await isAlive(neighbour.pid), "the small process in the same group lives");
  assert.ok(await isAlive(outsider.pid), "the process outside lives");

  await h.cg.setLimits("mem", { memory: 512 * M });
  const limits = await h.cg.readLimits("mem");
  assert.deepEqual([limits.memory, limits.swap], [512 * M, 0], "swap stays 0 when memory moves");
  const retry = await h.spawnIn("mem", allocate(200));
  assert.deepEqual(await retry.exited, { code: 0, signal: null }, retry.stderr());
  assert.ok(retry.stdout().includes("allocated"));
  assert.equal((await h.cg.usage("mem")).memory!.oomKills, after.oomKills, "no further OOM kill");
});

test("lowering memory below current use is BUSY and changes nothing", async () => {
  await h.cg.create("hold");
  await h.cg.setLimits("hold", { memory: 512 * M, swap: 0 });
  const holder = await h.spawnIn("hold", allocate(200, true));
  await holder.waitFor("allocated");
  const inUse = (await h.cg.usage("hold")).memory!.currentBytes;
  assert.ok(inUse > 200 * M, `uses ${inUse}`);

  await assert.rejects(h.cg.setLimits("hold", { memory: 64 * M, pids: 10 }), (error: unknown) => {
    assert.ok(error instanceof AgentFailure);
    assert.equal(error.code, "BUSY");
    assert.equal(error.field, "memory");
    assert.match(error.message, /EBUSY/);
    return true;
  });
  const limits = await h.cg.readLimits("hold");
  assert.deepEqual([limits.memory, limits.swap, limits.pids], [512 * M, 0, null]);
  assert.ok(await isAlive(holder.pid), "no process was killed by the attempt");
  await h.cg.killAll("hold");
});

test("swap on v1 without a memory limit is UNSUPPORTED", async () => {
  await h.cg.create("swap");
  await assert.rejects(h.cg.setLimits("swap", { swap: 64 * M }), (error: unknown) => {
    return error instanceof AgentFailure && error.code === "UNSUPPORTED" && error.field === "swap";
  });
});
