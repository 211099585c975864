/**
 * quotactl_fd project quotas on a loop-mounted ext4 (`-O quota,project`, `prjquota`).
 * ext4's quota feature needs CONFIG_QFMT_V2; a kernel without it (like the 6.18 test VM,
 * which also lacks CONFIG_XFS_QUOTA and CONFIG_TMPFS_QUOTA) cannot mount such a
 * filesystem, and that part is skipped with the reason. The "quota off" behaviour is
 * tested everywhere on a plain ext4.
 */
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { chownSync, closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { detachLoop, umountUnder } from "@/agent/src/testing/cleanup";
import { constants as C, getFsxattr, isNativeError, quotactlFormat, quotactlGet, quotactlInfo, quotactlSet, setFsxattr } from "./index";

/** Why this kernel cannot do ext4 quotas, or undefined when it can (or we cannot tell). */
function quotaUnsupported(): string | undefined {
  try {
    const config = gunzipSync(readFileSync("/proc/config.gz")).toString("utf8");
    if (/^# CONFIG_QFMT_V2 is not set$/m.test(config)) return "machine limit: kernel built without CONFIG_QFMT_V2: ext4 quotas cannot be enabled";
  } catch {
    /* no /proc/config.gz: try for real */
  }
  return undefined;
}

function makeExt4(features: string[], mountOpts: string[]) {
  const dir = mkdtempSync("/tmp/vst-ext4-");
  const mnt = `${dir}/mnt`;
  mkdirSync(mnt);
  execFileSync("truncate", ["-s", "64M", `${dir}/img`]);
  execFileSync("mkfs.ext4", ["-q", "-F", ...features, `${dir}/img`]);
  const loop = execFileSync("losetup", ["-f", "--show", `${dir}/img`], { encoding: "utf8" }).trim();
  const fs = { dir, mnt, loop };
  try {
    execFileSync("mount", [...mountOpts, loop, mnt], { stdio: "pipe" });
  } catch (e) {
    removeExt4(fs);
    throw e;
  }
  return fs;
}

function removeExt4(fs: { dir: string; mnt: string; loop: string }): void {
  umountUnder(fs.mnt);
  detachLoop(fs.loop);
  rmSync(fs.dir, { recursive: true, force: true });
}

describe("quota off (plain ext4)", () => {
  let fs: ReturnType<typeof makeExt4> | undefined;
  let fd = -1;
  before(() => {
    fs = makeExt4([], []);
    fd = openSync(fs.mnt, "r");
  });
  after(() => {
    if (fd >= 0) closeSync(fd);
    if (fs) removeExt4(fs);
  });

  it("Q_GETINFO, Q_GETFMT, Q_GETQUOTA and Q_SETQUOTA fail with ESRCH (no quota of that type)", () => {
    const esrch = (e: unknown) => isNativeError(e, "ESRCH") && e.syscall === "quotactl_fd" && e.errno === -3;
    assert.throws(() => quotactlInfo(fd, C.PRJQUOTA), esrch);
    assert.throws(() => quotactlFormat(fd, C.PRJQUOTA), esrch);
    assert.throws(() => quotactlGet(fd, C.PRJQUOTA, 1), esrch);
    assert.throws(() => quotactlSet(fd, C.PRJQUOTA, 1, { bhardlimit: 1, bsoftlimit: 1 }), esrch);
  });

  it("Q_SETQUOTA refuses half a limit pair before asking the kernel", () => {
    assert.throws(() => quotactlSet(fd, C.PRJQUOTA, 1, { bhardlimit: 10 }), TypeError);
  });
});

describe("project quota on ext4", { skip: quotaUnsupported() }, () => {
  let fs: ReturnType<typeof makeExt4> | undefined;
  let mnt = "";
  let mntFd = -1;
  const PROJ = 777;
  before(() => {
    fs = makeExt4(["-O", "quota,project", "-E", "quotatype=prjquota"], ["-o", "prjquota"]);
    mnt = fs.mnt;
    mntFd = openSync(mnt, "r");
  });
  after(() => {
    if (mntFd >= 0) closeSync(mntFd);
    if (fs) removeExt4(fs);
  });

  it("reports project quota as on (Q_GETINFO, Q_GETFMT); user quota as off", () => {
    const info = quotactlInfo(mntFd, C.PRJQUOTA);
    assert.equal(typeof info.bgrace, "number");
    assert.equal(quotactlFormat(mntFd, C.PRJQUOTA), C.QFMT_VFS_V1);
    assert.throws(() => quotactlInfo(mntFd, C.USRQUOTA), (e) => isNativeError(e, "ESRCH") && e.syscall === "quotactl_fd");
  });

  it("sets and reads limits; usage follows the project's files; EDQUOT past the hard limit", () => {
    const pdir = `${mnt}/guest`;
    mkdirSync(pdir);
    chownSync(pdir, 65534, 65534);
    const fd = openSync(pdir, "r");
    try {
      setFsxattr(fd, { projid: PROJ, xflags: getFsxattr(fd).xflags | C.FS_XFLAG_PROJINHERIT });
    } finally {
      closeSync(fd);
    }
    quotactlSet(mntFd, C.PRJQUOTA, PROJ, { bhardlimit: 1024, bsoftlimit: 512, ihardlimit: 50, isoftlimit: 40 });
    const q = quotactlGet(mntFd, C.PRJQUOTA, PROJ);
    assert.equal(q.bhardlimit, 1024);
    assert.equal(q.bsoftlimit, 512);
    assert.equal(q.ihardlimit, 50);
    assert.equal(q.isoftlimit, 40);

    writeFileSync(`${pdir}/f`, Buffer.alloc(256 * 1024, 1));
    execFileSync("sync");
    const used = quotactlGet(mntFd, C.PRJQUOTA, PROJ);
    assert.ok(used.curspace >= 256 * 1024, `curspace ${used.curspace}`);
    assert.ok(used.curinodes >= 2);

    // root (CAP_SYS_RESOURCE) may pass quotas; an unprivileged writer may not.
    const r = spawnSync("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups",
      "dd", "if=/dev/zero", `of=${pdir}/big`, "bs=64k", "count=32", "conv=fsync"], { encoding: "utf8" });
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /Disk quota exceeded/);
  });
});
