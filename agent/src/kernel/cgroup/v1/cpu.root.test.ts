/**
 * v1 on this host, for real: a busy loop under a CPU quota uses the share it was given,
 * the quota changes live, and throttling shows in the usage counters.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { pause, rootHarness, type Harness } from "../testing/root-harness";

let h: Harness;
before(async () => {
  h = await rootHarness();
  assert.equal(h.cg.version, "v1", "this test is for a v1 (or hybrid) host");
});
after(() => h.cleanup());

/** CPU used by the group per wall-clock second over a window. */
async function coresUsed(name: string, windowMs: number): Promise<number> {
  const before = (await h.cg.usage(name)).cpu!.usageUsec;
  const start = process.hrtime.bigint();
  await pause(windowMs);
  const used = (await h.cg.usage(name)).cpu!.usageUsec - before;
  return used / (Number(process.hrtime.bigint() - start) / 1000);
}

test("a busy loop under cpuQuota 0.5 uses half a core, and 0.25 after a live change", async (t) => {
  await h.cg.create("busy");
  // A high weight so that other work on this shared 2-core machine does not starve the
  // group below its quota: the quota is the ceiling being measured.
  await h.cg.setLimits("busy", { cpuQuota: 0.5, cpuWeight: 10000 });
  const loop = await h.spawnIn("busy", ["sh", "-c", "while :; do :; done"]);
  await pause(300);

  const half = await coresUsed("busy", 3000);
  t.diagnostic(`quota 0.5: used ${half.toFixed(3)} cores`);
  assert.ok(Math.abs(half - 0.5) <= 0.5 * 0.15, `used ${half.toFixed(3)} cores, expected 0.5 ± 15%`);

  await h.cg.setLimits("busy", { cpuQuota: 0.25 });
  assert.equal((await h.cg.readLimits("busy")).cpuQuota, 0.25);
  await pause(300);
  const quarter = await coresUsed("busy", 3000);
  t.diagnostic(`quota 0.25: used ${quarter.toFixed(3)} cores`);
  assert.ok(Math.abs(quarter - 0.25) <= 0.25 * 0.15, `used ${quarter.toFixed(3)} cores, expected 0.25 ± 15%`);

  const usage = await h.cg.usage("busy");
  assert.ok(usage.cpu!.throttling!.throttledPeriods > 10, "throttled periods are counted");
  assert.ok(usage.cpu!.throttling!.throttledUsec > 0);
  assert.ok(usage.cpu!.userUsec > 0 && usage.cpu!.userUsec <= usage.cpu!.usageUsec);
  assert.equal(usage.processes, 1);

  await h.cg.killAll("busy");
  assert.equal((await loop.exited).signal, "SIGKILL");
});

test("weight maps to cpu.shares and reads back; cpus pins to one CPU", async () => {
  await h.cg.create("w");
  await h.cg.setLimits("w", { cpuWeight: 250, cpus: "1" });
  const limits = await h.cg.readLimits("w");
  assert.equal(limits.cpuWeight, 250);
  assert.equal(limits.cpus, "1");
  const loop = await h.spawnIn("w", ["sh", "-c", "while :; do :; done"]);
  await pause(200);
  const stat = await import("node:fs/promises").then((fs) => fs.readFile(`/proc/${loop.pid}/stat`, "utf8"));
  const processor = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[36]; // field 39: last CPU
  assert.equal(processor, "1");
  await h.cg.setLimits("w", { cpus: null });
  assert.equal((await h.cg.readLimits("w")).cpus, null);
  await h.cg.remove("w", { kill: true });
});
