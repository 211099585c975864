/** Block-device lookup against a fake /sys and mountinfo, plus dev_t decoding. */
import { after, test } from "node:test";
import assert from "node:assert/strict";
import fsp from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { AgentFailure } from "../../errors";
import { blockDeviceOf, checkBlockDevice, decodeDev } from "./block-device";

const sysfs = await fsp.mkdtemp(path.join(os.tmpdir(), "vst-sysfs-"));
after(() => fsp.rm(sysfs, { recursive: true, force: true }));

// /sys/dev/block/8:1 -> ../../devices/pci/sda/sda1 like the kernel's layout.
await fsp.mkdir(path.join(sysfs, "devices/pci/sda/sda1"), { recursive: true });
await fsp.writeFile(path.join(sysfs, "devices/pci/sda/dev"), "8:0\n");
await fsp.writeFile(path.join(sysfs, "devices/pci/sda/sda1/dev"), "8:1\n");
await fsp.writeFile(path.join(sysfs, "devices/pci/sda/sda1/partition"), "1\n");
await fsp.mkdir(path.join(sysfs, "dev/block"), { recursive: true });
await fsp.symlink("../../devices/pci/sda", path.join(sysfs, "dev/block/8:0"));
await fsp.symlink("../../devices/pci/sda/sda1", path.join(sysfs, "dev/block/8:1"));

test("disk, partition, missing", async () => {
  assert.equal(await checkBlockDevice("8:0", sysfs), "disk");
  assert.equal(await checkBlockDevice("8:1", sysfs), "partition");
  assert.equal(await checkBlockDevice("8:2", sysfs), "missing");
  assert.equal(await checkBlockDevice("../../etc", sysfs), "missing");
});

test("dev_t decoding matches glibc's major()/minor()", () => {
  assert.equal(decodeDev(0x801n), "8:1");
  assert.equal(decodeDev(0xfe00n), "254:0");
  assert.equal(decodeDev((259n << 8n) | 5n), "259:5");
  assert.equal(decodeDev(0x0010_0000n | 0x0300n), "3:256"); // minor above 255
});

test("a path on a partition maps to its whole disk", async () => {
  const here = await fsp.stat(sysfs, { bigint: true });
  const device = decodeDev(here.dev);
  const [major, minor] = device.split(":");
  // Pretend the temp dir's filesystem is sda1.
  await fsp.symlink("../../devices/pci/sda/sda1", path.join(sysfs, "dev/block", device)).catch(() => undefined);
  await fsp.writeFile(path.join(sysfs, "devices/pci/sda/sda1/dev"), `${major}:${minor}\n`);
  assert.equal(await blockDeviceOf(sysfs, { sysfs, mountinfo: "" }), "8:0");
});

test("a path on no block device is a BAD_REQUEST on path", async () => {
  await assert.rejects(
    blockDeviceOf("/proc/self", { sysfs, mountinfo: "22 1 0:5 / /proc rw - proc proc rw\n" }),
    (error: unknown) => error instanceof AgentFailure && error.code === "BAD_REQUEST" && error.field === "path",
  );
});
