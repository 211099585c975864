/** Unit tests of pidfd and file ioctl wrappers on an ordinary filesystem (errors for
 * what it lacks: no reflink, no quota). */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { constants as C, ficlone, getFsxattr, isNativeError, pidfdOpen, pidfdSendSignal, quotactlInfo } from "./index";

describe("pidfd wrappers", () => {
  it("opens, probes and signals a process through its pidfd", async () => {
    const child = spawn("sleep", ["60"], { stdio: "ignore" });
    const exited = new Promise<string | null>((r) => child.on("exit", (_c, s) => r(s)));
    const fd = pidfdOpen(child.pid!);
    try {
      pidfdSendSignal(fd, 0);
      pidfdSendSignal(fd, 15);
      assert.equal(await exited, "SIGTERM");
      assert.throws(() => pidfdSendSignal(fd, 0), (e) => isNativeError(e, "ESRCH") && e.syscall === "pidfd_send_signal");
    } finally {
      closeSync(fd);
    }
  });

  it("fails with ESRCH for a pid that does not exist", () => {
    assert.throws(() => pidfdOpen(0x3ffffffe), (e) => isNativeError(e, "ESRCH") && e.path === undefined);
  });
});

describe("file ioctls on a plain filesystem", () => {
  let dir = "";
  before(() => {
    dir = mkdtempSync("/tmp/vst-ioctl-");
    writeFileSync(`${dir}/a`, "data");
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("reads fsxattr", () => {
    const fd = openSync(`${dir}/a`, "r");
    try {
      const x = getFsxattr(fd);
      assert.equal(typeof x.projid, "number");
      assert.equal(typeof x.xflags, "number");
    } finally {
      closeSync(fd);
    }
  });

  it("reports a failed FICLONE like an fs error", () => {
    const src = openSync(`${dir}/a`, "r");
    const dst = openSync(`${dir}/b`, "w");
    try {
      // /tmp is not a reflink filesystem here (or the fds are fine but unsupported)
      assert.throws(() => ficlone(dst, src), (e) => isNativeError(e) && e.syscall === "ioctl(FICLONE)");
    } catch (e) {
      // a reflink-capable /tmp (XFS, btrfs) simply succeeds
      if (!(e instanceof assert.AssertionError)) throw e;
    } finally {
      closeSync(src);
      closeSync(dst);
    }
  });

  it("Q_GETINFO without project quota on the filesystem is an error with code", () => {
    const fd = openSync(dir, "r");
    try {
      assert.throws(() => quotactlInfo(fd, C.PRJQUOTA), (e) => isNativeError(e) && e.syscall === "quotactl_fd");
    } finally {
      closeSync(fd);
    }
  });
});
