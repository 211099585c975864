/**
 * v1 on this host, for real, on a loop device: blkio throttling holds O_DIRECT writes
 * and reads near the limit and can be lifted live; IO bytes are counted; the device list
 * lets a guest mknod a disk node but not open it, while /dev/null works.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import fsp from "node:fs/promises";
import { blockDeviceOf } from "../block-device";
import { defaultDeviceRules, formatDeviceRule } from "../device-policy";
import { makeLoopDisk, type LoopDisk } from "../testing/loop-disk";
import { rootHarness, type Harness } from "../testing/root-harness";

const M = 1024 * 1024;
const run = promisify(execFile);
let h: Harness;
let disk: LoopDisk;
before(async () => {
  h = await rootHarness();
  assert.equal(h.cg.version, "v1", "this test is for a v1 (or hybrid) host");
  disk = await makeLoopDisk();
});
after(async () => {
  try {
    await h.cleanup();
  } finally {
    await disk?.dispose();
  }
});

/** Runs dd in the group; returns seconds taken. */
async function ddIn(name: string, args: string[]): Promise<number> {
  const start = process.hrtime.bigint();
  const dd = await h.spawnIn(name, ["dd", ...args, "status=none"]);
  assert.deepEqual(await dd.exited, { code: 0, signal: null }, dd.stderr());
  return Number(process.hrtime.bigint() - start) / 1e9;
}

test("blockDeviceOf finds the loop device under its mount", async () => {
  assert.equal(await blockDeviceOf(disk.mountpoint), disk.device);
  assert.equal(await blockDeviceOf(path.join(disk.mountpoint, "lost+found")), disk.device);
});

test("O_DIRECT writes and reads run near the throttle, usage counts them, lifting is live", async (t) => {
  await h.cg.create("disk");
  const limit = { device: disk.device, readBps: 4 * M, writeBps: 4 * M, readIops: null, writeIops: null };
  await h.cg.setLimits("disk", { io: [limit] });
  assert.deepEqual((await h.cg.readLimits("disk")).io, [limit]);
  const file = path.join(disk.mountpoint, "data");
  await run("fallocate", ["-l", "16M", file]);

  const writeSeconds = await ddIn("disk", ["if=/dev/zero", `of=${file}`, "bs=256K", "count=48", "oflag=direct", "conv=notrunc"]);
  const writeRate = (12 * M) / writeSeconds / M;
  const readSeconds = await ddIn("disk", [`if=${file}`, "of=/dev/null", "bs=256K", "count=32", "iflag=direct"]);
  const readRate = (8 * M) / readSeconds / M;
  t.diagnostic(`write ${writeRate.toFixed(2)} MiB/s, read ${readRate.toFixed(2)} MiB/s (limit 4)`);
  assert.ok(writeRate > 4 * 0.75 && writeRate < 4 * 1.15, `write ${writeRate.toFixed(2)} MiB/s`);
  assert.ok(readRate > 4 * 0.75 && readRate < 4 * 1.15, `read ${readRate.toFixed(2)} MiB/s`);

  const usage = (await h.cg.usage("disk")).io!;
  const onDisk = usage.devices.find((d) => d.device === disk.device)!;
  assert.ok(onDisk.writeBytes >= 12 * M, `wrote ${onDisk.writeBytes}`);
  assert.ok(onDisk.readBytes >= 8 * M, `read ${onDisk.readBytes}`);

  await h.cg.setLimits("disk", { io: [] });
  assert.deepEqual((await h.cg.readLimits("disk")).io, []);
  const freeSeconds = await ddIn("disk", ["if=/dev/zero", `of=${file}`, "bs=256K", "count=48", "oflag=direct", "conv=notrunc"]);
  t.diagnostic(`unthrottled write: ${((12 * M) / freeSeconds / M).toFixed(1)} MiB/s`);
  assert.ok(freeSeconds < writeSeconds / 2, `unthrottled write took ${freeSeconds.toFixed(2)} s`);
});

test("in the group a mknod-ed disk node gives EPERM while /dev/null works", async () => {
  await h.cg.create("dev"); // default device policy
  const devicesDir = h.cg.dirs("dev").find((dir) => dir.startsWith("/sys/fs/cgroup/devices/"))!;
  const list = await fsp.readFile(path.join(devicesDir, "devices.list"), "utf8");
  assert.deepEqual(list.trim().split("\n"), defaultDeviceRules.map(formatDeviceRule), "the kernel holds the policy");
  const node = path.join(disk.dir, "disk-node");
  await run("mknod", [node, "b", String(disk.major), String(disk.minor)]);
  // The node itself works outside the group: the refusal below is the cgroup's.
  await run("dd", [`if=${node}`, "of=/dev/null", "bs=4096", "count=1", "status=none"]);

  const denied = await h.spawnIn("dev", ["dd", `if=${node}`, "of=/dev/null", "bs=4096", "count=1", "status=none"]);
  assert.equal((await denied.exited).code, 1);
  assert.match(denied.stderr(), /Operation not permitted/);

  const ok = await h.spawnIn("dev", ["dd", "if=/dev/zero", "of=/dev/null", "bs=1", "count=1", "status=none"]);
  assert.deepEqual(await ok.exited, { code: 0, signal: null }, ok.stderr());

  const own = path.join(disk.dir, "guest-node");
  const mknod = await h.spawnIn("dev", ["mknod", own, "b", String(disk.major), String(disk.minor)]);
  assert.deepEqual(await mknod.exited, { code: 0, signal: null }, `mknod is allowed: ${mknod.stderr()}`);
  const openOwn = await h.spawnIn("dev", ["dd", `if=${own}`, "of=/dev/null", "count=1", "status=none"]);
  assert.equal((await openOwn.exited).code, 1);
  assert.match(openOwn.stderr(), /Operation not permitted/);
});
