/**
 * The loop-image backend on the real kernel: a 64M area filled until ENOSPC, grown to
 * 128M and written again, its inode limit hit, a shrink below usage refused, a shrink
 * offline, a remount after a simulated reboot, and a release that leaves nothing.
 * This host cannot enable project quotas, so loop mode is its default.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { AgentFailure } from "../../errors";
import { createDiskArea, detectDiskBackend, ensureMounted, listDiskAreas, readDiskUsage, releaseDiskArea, setDiskLimit } from "./index";
import { hasCapability, CAP_SYS_RESOURCE } from "./loop/capability";
import { listLoopDevices, mountAt, readMounts } from "./mounts";
import { leftovers, losetupMentions, makeDiskTestHost, removeDiskTestHost, type DiskTestHost } from "./testing/loop-fixture";

const M = 1024 * 1024;
const failsWith = (code: string, field?: string) => (e: unknown) =>
  e instanceof AgentFailure && e.code === code && (field === undefined || e.field === field);
const onlineResize = hasCapability(CAP_SYS_RESOURCE);

/** Writes 1 MiB chunks into `file` until the filesystem says ENOSPC; returns bytes written. */
function fillUntilFull(file: string, limit: number): number {
  const chunk = Buffer.alloc(M, 0x5a);
  const fd = fs.openSync(file, "w");
  let written = 0;
  try {
    while (written <= limit) {
      try {
        written += fs.writeSync(fd, chunk);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "ENOSPC") return written;
        throw e;
      }
    }
    throw new Error(`wrote ${written} bytes into a ${limit}-byte area without ENOSPC`);
  } finally {
    fs.closeSync(fd);
  }
}

const sha = (file: string) => createHash("sha256").update(fs.readFileSync(file)).digest("hex");

describe("loop images on the real kernel", () => {
  let host: DiskTestHost | undefined;
  let env: { paths: DiskTestHost["paths"] };
  let root = "";
  let image = "";
  before(() => {
    host = makeDiskTestHost("loop");
    env = { paths: host.paths };
    root = path.join(host.paths.rootDir, "vst1");
    image = path.join(host.paths.rootDir, ".images", "vst1.img");
  });
  after(async () => {
    await removeDiskTestHost(host);
    if (host) assert.deepEqual(leftovers(host.base), []);
  });

  it("detection picks loop images here and says why project quotas are unavailable", () => {
    const d = detectDiskBackend(host!.paths.rootDir, { env });
    assert.equal(d.mode, "loop");
    assert.equal(d.loop.available, true);
    assert.equal(d.project.available, false);
    assert.match(d.reason, /^loop images \(project quota/);
    assert.match(d.project.reason, /unavailable on this kernel|project quota is off/);
  });

  it("creates a 64M area: a sparse 0600 image, mounted nodev on the root with an autoclear loop device", async () => {
    const area = await createDiskArea("vst1", { bytes: "64M", inodes: 2048 }, { env });
    assert.equal(area.mode, "loop");
    assert.equal(area.image, image);
    const st = fs.statSync(image);
    assert.equal(st.size, 64 * M);
    assert.ok(st.blocks * 512 < 16 * M, `sparse: ${st.blocks * 512} bytes allocated`);
    assert.equal(st.mode & 0o777, 0o600);
    assert.equal(fs.statSync(path.dirname(image)).mode & 0o777, 0o700);
    const m = mountAt(readMounts(), root);
    assert.ok(m, "mounted");
    assert.equal(m.fsType, "ext4");
    assert.ok(m.options.includes("nodev"), m.options.join(","));
    assert.ok(!m.options.includes("nosuid"), "setuid programs keep working");
    const loop = listLoopDevices().find((l) => l.device === m.source);
    assert.equal(loop?.backingFile, image);
    assert.equal(loop?.autoclear, true);
    assert.equal(fs.readFileSync(path.join(host!.paths.confDir, "vst1", "dlimits", "mode"), "utf8"), "loop\n");
    assert.equal(fs.readFileSync(path.join(host!.paths.confDir, "vst1", "dlimits", "space_total"), "utf8"), "65536\n");
  });

  it("writing past the limit fails with ENOSPC; usage then shows the area full", async () => {
    const written = fillUntilFull(path.join(root, "fill"), 64 * M);
    assert.ok(written > 50 * M && written < 64 * M, `wrote ${written}`);
    const u = await readDiskUsage("vst1", { env });
    assert.equal(u.bytesLimit, 64 * M);
    assert.ok(u.bytesUsed >= written, `${u.bytesUsed} >= ${written}`);
    assert.ok(u.bytesUsed > 0.85 * 64 * M && u.bytesUsed <= 64 * M, `used ${u.bytesUsed} within ext4's overhead of the limit`);
    assert.ok(u.bytesAvailable < M, `available ${u.bytesAvailable}`);
    assert.equal(u.mounted, true);
  });

  it("grows to 128M while running when the agent has CAP_SYS_RESOURCE", { skip: onlineResize ? false : "machine limit: this sandbox's root lacks CAP_SYS_RESOURCE: the kernel refuses an online ext4 resize" }, async () => {
    const u = await setDiskLimit("vst1", { bytes: "128M" }, { env, running: true });
    assert.equal(u.bytesLimit, 128 * M);
  });

  it("without CAP_SYS_RESOURCE: a running server's grow is refused unchanged; a stopped one grows offline", { skip: onlineResize ? "machine limit: the agent may resize online here (this test is for hosts that cannot)" : false }, async () => {
    await assert.rejects(setDiskLimit("vst1", { bytes: "128M" }, { env, running: true }), failsWith("UNSUPPORTED", "bytes"));
    assert.equal(fs.statSync(image).size, 64 * M, "image untouched");
    assert.equal((await readDiskUsage("vst1", { env })).bytesLimit, 64 * M);
    const u = await setDiskLimit("vst1", { bytes: "128M" }, { env, running: false });
    assert.equal(u.bytesLimit, 128 * M);
    assert.equal(u.mounted, true, "mounted again");
  });

  it("after growing, 48M more fit; the image and usage say 128M", async () => {
    assert.equal(fs.statSync(image).size, 128 * M);
    const chunk = Buffer.alloc(48 * M, 0x33);
    fs.writeFileSync(path.join(root, "more"), chunk);
    const u = await readDiskUsage("vst1", { env });
    assert.equal(u.bytesLimit, 128 * M);
    assert.ok(u.bytesUsed > 100 * M, `used ${u.bytesUsed}`);
  });

  it("the inode limit holds: creating files ends in ENOSPC with every inode used", async () => {
    const before = await readDiskUsage("vst1", { env });
    assert.equal(before.inodesLimit, 2048, "mke2fs -N 2048 in one block group");
    const dir = path.join(root, "many");
    fs.mkdirSync(dir);
    let made = 0;
    let error: NodeJS.ErrnoException | undefined;
    for (; made < 5000; made++) {
      try {
        fs.writeFileSync(path.join(dir, `f${made}`), "");
      } catch (e) {
        error = e as NodeJS.ErrnoException;
        break;
      }
    }
    assert.equal(error?.code, "ENOSPC");
    const u = await readDiskUsage("vst1", { env });
    assert.equal(u.inodesUsed, u.inodesLimit);
    assert.equal(made, before.inodesLimit - before.inodesUsed - 1, "every free inode but the directory's");
    fs.rmSync(dir, { recursive: true });
  });

  it("an inode change is refused in loop mode (the layout fixes it), naming the field", async () => {
    await assert.rejects(setDiskLimit("vst1", { inodes: 4096 }, { env, running: false }), failsWith("UNSUPPORTED", "inodes"));
  });

  it("a shrink is refused while running, and below usage, without changing anything", async () => {
    fs.rmSync(path.join(root, "fill"));
    const keep = sha(path.join(root, "more"));
    await assert.rejects(setDiskLimit("vst1", { bytes: "96M" }, { env, running: true }), failsWith("WRONG_STATE", "bytes"));
    await assert.rejects(setDiskLimit("vst1", { bytes: "32M" }, { env, running: false }), failsWith("LIMIT_EXCEEDED", "bytes"));
    assert.equal(fs.statSync(image).size, 128 * M);
    assert.equal(sha(path.join(root, "more")), keep);
    assert.equal((await readDiskUsage("vst1", { env })).bytesLimit, 128 * M);
  });

  it("shrinks a stopped server's image offline to 64M, keeps the files and mounts it again", async () => {
    const keep = sha(path.join(root, "more"));
    const u = await setDiskLimit("vst1", { bytes: "64M" }, { env, running: false });
    assert.equal(u.bytesLimit, 64 * M);
    assert.equal(u.mounted, true);
    assert.equal(fs.statSync(image).size, 64 * M);
    assert.equal(sha(path.join(root, "more")), keep);
    assert.equal(fs.readFileSync(path.join(host!.paths.confDir, "vst1", "dlimits", "space_total"), "utf8"), "65536\n");
    const fill = fillUntilFull(path.join(root, "fill2"), 64 * M);
    assert.ok(fill < 16 * M, `only the rest fits: ${fill}`);
    fs.rmSync(path.join(root, "fill2"));
  });

  it("after a 'reboot' (unmounted, loop gone) the unmounted root refuses writes; ensureMounted brings the image back", async () => {
    execFileSync("umount", [root]);
    for (let i = 0; i < 40 && losetupMentions(host!.base).length > 0; i++) await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(losetupMentions(host!.base), [], "autoclear freed the loop device");
    assert.throws(() => fs.writeFileSync(path.join(root, "escape"), "x"), (e: NodeJS.ErrnoException) => e.code === "EPERM", "immutable guard");
    const offline = await readDiskUsage("vst1", { env });
    assert.equal(offline.mounted, false);
    assert.ok(offline.bytesUsed > 40 * M, `superblock usage ${offline.bytesUsed}`);
    assert.deepEqual(listDiskAreas({ env }).areas, [{ name: "vst1", mode: "loop", health: "unmounted" }]);
    assert.deepEqual(await ensureMounted("vst1", { env }), { mode: "loop", action: "mounted" });
    assert.deepEqual(await ensureMounted("vst1", { env }), { mode: "loop", action: "none" });
    assert.ok(fs.existsSync(path.join(root, "more")));
    const online = await readDiskUsage("vst1", { env });
    assert.ok(Math.abs(online.bytesUsed - offline.bytesUsed) < M, `${online.bytesUsed} vs ${offline.bytesUsed}`);
    assert.deepEqual(listDiskAreas({ env }), { areas: [{ name: "vst1", mode: "loop", health: "ok" }], orphans: [] });
  });

  it("release is refused while running; then removes mount, loop device, image and root; twice is fine", async () => {
    await assert.rejects(releaseDiskArea("vst1", { env, running: true }), failsWith("WRONG_STATE"));
    assert.ok(mountAt(readMounts(), root), "still mounted after the refusal");
    assert.deepEqual(await releaseDiskArea("vst1", { env, running: false }), { mode: "loop", rootKept: false });
    assert.equal(mountAt(readMounts(), root), undefined);
    assert.deepEqual(losetupMentions(host!.base), []);
    assert.equal(fs.existsSync(image), false);
    assert.equal(fs.existsSync(root), false);
    assert.equal(fs.existsSync(path.join(host!.paths.confDir, "vst1", "dlimits")), false);
    assert.deepEqual(await releaseDiskArea("vst1", { env, running: false }), { mode: null, rootKept: false });
    assert.deepEqual(leftovers(host!.base), []);
  });
});
