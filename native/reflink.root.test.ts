/** FICLONE / FIDEDUPERANGE and project ids on a loop-mounted XFS with reflink=1 (this
 * kernel has CONFIG_XFS_QUOTA off: project quotas are tested on ext4 instead). */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { detachLoop, umountUnder } from "@/agent/src/testing/cleanup";
import { constants as C, fideduperange, ficlone, getFsxattr, setFsxattr } from "./index";

describe("reflink and dedupe on XFS", () => {
  let dir = "";
  let loop = "";
  let mnt = "";
  before(() => {
    dir = mkdtempSync("/tmp/vst-xfs-");
    mnt = `${dir}/mnt`;
    mkdirSync(mnt);
    execFileSync("truncate", ["-s", "512M", `${dir}/img`]);
    execFileSync("mkfs.xfs", ["-q", "-f", "-m", "reflink=1", `${dir}/img`]);
    loop = execFileSync("losetup", ["-f", "--show", `${dir}/img`], { encoding: "utf8" }).trim();
    execFileSync("mount", [loop, mnt]);
  });
  after(() => {
    if (mnt) umountUnder(mnt);
    if (loop) detachLoop(loop);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("FICLONE makes an identical copy that shares extents", () => {
    const data = randomBytes(1 << 20);
    writeFileSync(`${mnt}/a`, data);
    const src = openSync(`${mnt}/a`, "r");
    const dst = openSync(`${mnt}/b`, "w");
    try {
      ficlone(dst, src);
    } finally {
      closeSync(src);
      closeSync(dst);
    }
    assert.ok(readFileSync(`${mnt}/b`).equals(data));
  });

  it("FIDEDUPERANGE reports SAME with bytes deduped, DIFFERS for different data", () => {
    const data = randomBytes(1 << 20);
    writeFileSync(`${mnt}/c`, data);
    writeFileSync(`${mnt}/d`, data);
    const other = Buffer.from(data);
    other[100] = (other[100]! ^ 0xff) & 0xff;
    writeFileSync(`${mnt}/e`, other);
    const src = openSync(`${mnt}/c`, "r");
    const d = openSync(`${mnt}/d`, "r+");
    const e = openSync(`${mnt}/e`, "r+");
    try {
      const r = fideduperange(src, 0, data.length, [{ fd: d, offset: 0 }, { fd: e, offset: 0 }]);
      assert.deepEqual(r[0], { status: C.FILE_DEDUPE_RANGE_SAME, bytesDeduped: data.length });
      assert.equal(r[1]!.status, C.FILE_DEDUPE_RANGE_DIFFERS);
      assert.equal(r[1]!.bytesDeduped, 0);
    } finally {
      closeSync(src);
      closeSync(d);
      closeSync(e);
    }
  });

  it("sets a project id and PROJINHERIT on a directory", () => {
    mkdirSync(`${mnt}/proj`);
    const fd = openSync(`${mnt}/proj`, "r");
    try {
      setFsxattr(fd, { projid: 4242, xflags: getFsxattr(fd).xflags | C.FS_XFLAG_PROJINHERIT });
      const x = getFsxattr(fd);
      assert.equal(x.projid, 4242);
      assert.ok(x.xflags & C.FS_XFLAG_PROJINHERIT);
    } finally {
      closeSync(fd);
    }
    writeFileSync(`${mnt}/proj/f`, "x");
    const f = openSync(`${mnt}/proj/f`, "r");
    try {
      assert.equal(getFsxattr(f).projid, 4242, "inherited");
    } finally {
      closeSync(f);
    }
  });
});
