/**
 * Project ids on the real kernel. This kernel cannot turn project quotas on (no
 * CONFIG_XFS_QUOTA, no CONFIG_QFMT_V2), but FS_IOC_FSSETXATTR and PROJINHERIT work on
 * XFS without quota accounting, so the tagging is real here: the kernel's ioctls with a
 * fake quotactl (the limit logic is unit-tested in project/project-area.test.ts).
 * Also shown for real: detection's reasons, the fd-only adoption walk against planted
 * symlinks, FIFOs, devices and mounts, and the kernel rule that makes a seccomp filter
 * necessary (an owner in the init user namespace may change its file's project id).
 */
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { constants as C, getFsxattr, isNativeError, mknodat } from "@/native";
import { AgentFailure } from "../../errors";
import { createDiskArea, detectDiskBackend, nativeQuotaLayer, readDiskUsage, releaseDiskArea, type QuotaLayer } from "./index";
import { FakeQuota } from "./testing/fake-quota";
import { leftovers, makeDiskTestHost, removeDiskTestHost, type DiskTestHost } from "./testing/loop-fixture";

/** Real fsxattr ioctls, fake quotactl. */
function hybridLayer(fake: FakeQuota): QuotaLayer {
  return { ...nativeQuotaLayer, info: (fd) => fake.info(fd), get: (fd, id) => fake.get(fd, id), set: (fd, id, u) => fake.set(fd, id, u) };
}

function fsxattrOf(p: string) {
  const fd = fs.openSync(p, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK);
  try {
    return getFsxattr(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Mounts a fresh filesystem image (loop, autoclear) on `<base>/root`; returns mount's stderr on failure. */
function mountFresh(host: DiskTestHost, mkfs: string, args: string[]): string | undefined {
  const img = path.join(host.base, `${mkfs}.img`);
  execFileSync("truncate", ["-s", "300M", img]);
  execFileSync(mkfs, [...args, img], { stdio: "pipe" });
  const r = spawnSync("mount", ["-o", "loop", img, host.paths.rootDir], { encoding: "utf8" });
  if (r.status !== 0) return r.stderr.trim();
  fs.chmodSync(host.paths.rootDir, 0o755);
  return undefined;
}

const unprivileged = ["--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all", "--bounding-set=-all"];

describe("project ids on XFS (real ioctls, no quota accounting on this kernel)", () => {
  let host: DiskTestHost | undefined;
  let fake: FakeQuota;
  let env: { paths: DiskTestHost["paths"]; quota?: QuotaLayer };
  const rootOf = (n: string) => path.join(host!.paths.rootDir, n);
  before(() => {
    host = makeDiskTestHost("prjxfs");
    fs.chmodSync(host.base, 0o755); // the unprivileged writer below must reach the tree
    const failed = mountFresh(host, "mkfs.xfs", ["-q", "-f"]);
    if (failed) throw new Error(`mount xfs: ${failed}`);
    fake = new FakeQuota();
    env = { paths: host.paths, quota: hybridLayer(fake) };
  });
  after(async () => {
    await removeDiskTestHost(host);
    if (host) assert.deepEqual(leftovers(host.base), []);
  });

  it("detection on XFS says project quotas are unavailable here, and why", () => {
    const d = detectDiskBackend(host!.paths.rootDir, { env: { paths: host!.paths } });
    assert.equal(d.fs, "xfs");
    assert.equal(d.mountPoint, host!.paths.rootDir);
    assert.equal(d.project.available, false);
    assert.match(d.project.reason, /project quotas unavailable on this kernel: built without CONFIG_XFS_QUOTA|project quota is off/);
    assert.equal(d.mode, "loop");
  });

  it("a project-mode create with the real quotactl is UNSUPPORTED and leaves nothing", async () => {
    await assert.rejects(
      createDiskArea("vst-real", { bytes: "64M" }, { env: { paths: host!.paths }, mode: "project" }),
      (e: unknown) => e instanceof AgentFailure && e.code === "UNSUPPORTED" && /ESRCH|ENOSYS|EOPNOTSUPP/.test(e.message),
    );
    assert.equal(fs.existsSync(rootOf("vst-real")), false);
    assert.equal(fs.existsSync(path.join(host!.paths.confDir, "vst-real")), false);
  });

  it("tags the empty root; whatever is created below inherits the id (files, dirs, deep dirs)", async () => {
    const area = await createDiskArea("vst-p1", { bytes: "64M", inodes: 5000 }, { env, mode: "project" });
    const root = rootOf("vst-p1");
    const x = fsxattrOf(root);
    assert.equal(x.projid, area.projid);
    assert.ok(x.xflags & C.FS_XFLAG_PROJINHERIT);
    fs.mkdirSync(path.join(root, "usr/lib/deep"), { recursive: true });
    fs.writeFileSync(path.join(root, "usr/lib/deep/file"), "data");
    fs.writeFileSync(path.join(root, "top"), "x");
    for (const p of ["usr", "usr/lib", "usr/lib/deep", "usr/lib/deep/file", "top"]) {
      assert.equal(fsxattrOf(path.join(root, p)).projid, area.projid, p);
    }
    assert.ok(fsxattrOf(path.join(root, "usr/lib/deep")).xflags & C.FS_XFLAG_PROJINHERIT, "directories pass it on");
    assert.equal(fake.dquotOf(area.projid!).bhardlimit, 65536);
    assert.equal((await readDiskUsage("vst-p1", { env })).bytesLimit, 64 * 1024 * 1024);
  });

  it("a file of another project cannot be renamed or linked into the tree (EXDEV): unify must reflink, not hardlink", () => {
    const outside = path.join(host!.paths.rootDir, "outside-file");
    fs.writeFileSync(outside, "host");
    assert.throws(() => fs.linkSync(outside, path.join(rootOf("vst-p1"), "linked")), (e: NodeJS.ErrnoException) => e.code === "EXDEV");
    assert.throws(() => fs.renameSync(outside, path.join(rootOf("vst-p1"), "moved")), (e: NodeJS.ErrnoException) => e.code === "EXDEV");
    fs.rmSync(outside);
  });

  it("kernel rule: in the init user namespace the owner may retag its file and clear PROJINHERIT without any capability; in a user namespace it may not", async (t) => {
    const root = rootOf("vst-p1");
    const dir = path.join(root, "home");
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, "mine"), "guest data");
    fs.chownSync(dir, 65534, 65534);
    fs.chownSync(path.join(dir, "mine"), 65534, 65534);
    const projid = fsxattrOf(dir).projid;
    const asNobody = (...argv: string[]) => spawnSync("setpriv", [...unprivileged, ...argv], { encoding: "utf8" });

    // In a user namespace (what per-vserver uid ranges would give): EINVAL, nothing changes.
    const inUserns = asNobody("unshare", "-U", "-r", "xfs_io", "-c", "chproj 0", path.join(dir, "mine"));
    if (/unshare failed|Operation not permitted/.test(inUserns.stderr)) t.diagnostic(`no unprivileged user namespaces here: ${inUserns.stderr.trim()}`);
    else {
      assert.match(inUserns.stderr, /Invalid argument/);
      assert.equal(fsxattrOf(path.join(dir, "mine")).projid, projid);
      assert.match(asNobody("unshare", "-U", "-r", "chattr", "-P", dir).stderr, /Invalid argument/);
      assert.ok(fsxattrOf(dir).xflags & C.FS_XFLAG_PROJINHERIT);
    }

    // In the init user namespace (guests today): FS_IOC_FSSETXATTR and FS_IOC_SETFLAGS both work for the owner.
    assert.equal(asNobody("xfs_io", "-c", "chproj 0", path.join(dir, "mine")).status, 0);
    assert.equal(fsxattrOf(path.join(dir, "mine")).projid, 0, "file moved out of the project");
    assert.equal(asNobody("chattr", "-P", dir).status, 0);
    assert.equal(fsxattrOf(dir).xflags & C.FS_XFLAG_PROJINHERIT, 0, "PROJINHERIT cleared");
    fs.writeFileSync(path.join(dir, "after"), "x");
    assert.equal(fsxattrOf(dir).projid, projid, "the directory keeps its id…");
    assert.equal(fsxattrOf(path.join(dir, "after")).projid, 0, "…but everything new in it is project 0: unlimited");
  });

  it("release lifts the limit and forgets the id; the tree stays for the delete path", async () => {
    const id = (await readDiskUsage("vst-p1", { env })) && fsxattrOf(rootOf("vst-p1")).projid;
    assert.deepEqual(await releaseDiskArea("vst-p1", { env, running: false }), { mode: "project", rootKept: false });
    assert.equal(fake.dquotOf(id).bhardlimit, 0);
    assert.ok(fs.existsSync(path.join(rootOf("vst-p1"), "top")));
    fs.rmSync(rootOf("vst-p1"), { recursive: true });
  });

  it("adopting a populated tree walks it by fds: symlinks, FIFOs and devices are not opened, mounts not entered", async (t) => {
    const root = rootOf("vst-old");
    fs.mkdirSync(path.join(root, "etc/ssh"), { recursive: true });
    fs.mkdirSync(path.join(root, "proc"));
    fs.writeFileSync(path.join(root, "etc/ssh/config"), "Port 22\n");
    const target = path.join(host!.paths.rootDir, "host-secret");
    fs.writeFileSync(target, "not the guest's");
    fs.symlinkSync(target, path.join(root, "etc/escape"));
    fs.symlinkSync("/", path.join(root, "rootlink"));
    mknodat(C.AT_FDCWD, path.join(root, "fifo"), C.S_IFIFO | 0o600);
    mknodat(C.AT_FDCWD, path.join(root, "null"), C.S_IFCHR | 0o600, 1, 3);
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=1m", "vst-tmpfs", path.join(root, "proc")]);
    t.after(() => spawnSync("umount", [path.join(root, "proc")]));
    fs.writeFileSync(path.join(root, "proc/inside-mount"), "x");

    const area = await createDiskArea("vst-old", { bytes: "64M" }, { env, mode: "project", adoptExisting: true });
    assert.deepEqual(area.adopted, { tagged: 4, skippedSpecial: 4, skippedMounts: 1, skippedDeep: 0, failed: 0 });
    for (const p of ["", "etc", "etc/ssh", "etc/ssh/config"]) assert.equal(fsxattrOf(path.join(root, p)).projid, area.projid, p || "/");
    assert.equal(fsxattrOf(target).projid, 0, "the symlink's target outside stays untouched");
    assert.equal(fsxattrOf(path.join(root, "proc/inside-mount")).projid, 0, "the mount's contents stay untouched");
    await releaseDiskArea("vst-old", { env, running: false });
    spawnSync("umount", [path.join(root, "proc")]);
    fs.rmSync(root, { recursive: true });
    fs.rmSync(target);
  });
});

describe("project ids on ext4", () => {
  let host: DiskTestHost | undefined;
  before(() => {
    host = makeDiskTestHost("prjext4");
  });
  after(async () => {
    await removeDiskTestHost(host);
    if (host) assert.deepEqual(leftovers(host.base), []);
  });

  it("without the project feature: detection says why, and tagging fails EOPNOTSUPP, leaving nothing", async () => {
    const failed = mountFresh(host!, "mkfs.ext4", ["-q", "-F"]);
    assert.equal(failed, undefined);
    const d = detectDiskBackend(host!.paths.rootDir, { env: { paths: host!.paths } });
    assert.equal(d.fs, "ext4");
    assert.equal(d.project.available, false);
    assert.match(d.project.reason, /unavailable on this kernel: .*CONFIG_QFMT_V2|project quota is off/);
    const env = { paths: host!.paths, quota: hybridLayer(new FakeQuota()) };
    await assert.rejects(createDiskArea("vst-e1", { bytes: "64M" }, { env, mode: "project" }), (e: unknown) => isNativeError(e, "EOPNOTSUPP"));
    assert.equal(fs.existsSync(path.join(host!.paths.rootDir, "vst-e1")), false);
    assert.equal(fs.existsSync(path.join(host!.paths.confDir, "vst-e1")), false);
    execFileSync("umount", [host!.paths.rootDir]);
  });

  it("with -O project: tags and inherits like XFS, where the kernel can mount it", async (t) => {
    const failed = mountFresh(host!, "mkfs.ext4", ["-q", "-F", "-O", "project"]);
    if (failed) {
      // This VM: "The kernel was not built with CONFIG_QUOTA and CONFIG_QFMT_V2" (dmesg).
      t.skip(`machine limit: this kernel cannot mount ext4 with the project feature (needs CONFIG_QUOTA and CONFIG_QFMT_V2): ${failed.split("\n")[0]}`);
      return;
    }
    t.after(() => spawnSync("umount", [host!.paths.rootDir]));
    const env = { paths: host!.paths, quota: hybridLayer(new FakeQuota()) };
    const area = await createDiskArea("vst-e2", { bytes: "64M" }, { env, mode: "project" });
    const root = path.join(host!.paths.rootDir, "vst-e2");
    fs.mkdirSync(path.join(root, "a/b"), { recursive: true });
    fs.writeFileSync(path.join(root, "a/b/f"), "x");
    for (const p of ["", "a", "a/b", "a/b/f"]) assert.equal(fsxattrOf(path.join(root, p)).projid, area.projid, p || "/");
    await releaseDiskArea("vst-e2", { env, running: false });
  });
});
