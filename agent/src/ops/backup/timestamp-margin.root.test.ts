/**
 * The racy-git margin of a backup's copy passes on real filesystems: a tree whose
 * timestamps carry nanoseconds (this machine's temp filesystem, and ext4 with its default
 * 256-byte inodes) gets 50 ms, one of whole seconds (ext4 with 128-byte inodes, loop
 * mounted here) a whole second down and one more; in both, a change made after the pass
 * began is newer than the margin by `find -newerct`, as the frozen pass asks it.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { changesCountFrom, keepsSubsecondTimes } from "./timestamp-margin";

let base = "";
const mounted: string[] = [];

/** An ext4 image with inodes of `inodeSize` bytes, loop mounted (autoclear: its loop device goes with the umount). */
function ext4(name: string, inodeSize: number): string {
  const image = path.join(base, `${name}.img`);
  const mnt = path.join(base, name);
  fs.mkdirSync(mnt);
  execFileSync("truncate", ["-s", "32M", image]);
  execFileSync("mkfs.ext4", ["-q", "-F", "-I", String(inodeSize), image], { stdio: "pipe" });
  execFileSync("mount", ["-o", "loop", image, mnt]);
  mounted.push(mnt);
  return mnt;
}

/** Whether `find -newerct @since` lists `file` below `dir`. */
function listedSince(dir: string, since: number, file: string): boolean {
  return execFileSync("find", [".", "-newerct", `@${since}`, "-printf", "%P\n"], { cwd: dir, encoding: "utf8" }).split("\n").includes(file);
}

describe("the margin before a copy pass", () => {
  before(() => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), "vst-bk-margin-"));
  });
  after(() => {
    for (const m of mounted.reverse()) execFileSync("umount", [m]);
    if (base) fs.rmSync(base, { recursive: true, force: true });
  });

  it("is 50 ms where timestamps have nanoseconds, and a change after the pass began is listed", () => {
    for (const dir of [base, ext4("fine", 256)]) {
      fs.writeFileSync(path.join(dir, "made-before"), "x");
      assert.equal(keepsSubsecondTimes(dir), true, dir);
      const now = Date.now();
      assert.equal(changesCountFrom(dir, now), (now - 50) / 1000);
      const since = changesCountFrom(dir, Date.now());
      fs.writeFileSync(path.join(dir, "changed-after"), "y");
      assert.ok(listedSince(dir, since, "changed-after"), `${dir}: a change after the pass began is listed`);
    }
  });

  it("is a whole second down and one more where the filesystem keeps whole seconds (ext4, 128-byte inodes)", () => {
    const dir = ext4("coarse", 128);
    fs.writeFileSync(path.join(dir, "made-before"), "x");
    assert.equal(keepsSubsecondTimes(dir), false);
    const now = 1_800_000_000_900;
    assert.equal(changesCountFrom(dir, now), 1_799_999_999);
    const since = changesCountFrom(dir, Date.now());
    fs.writeFileSync(path.join(dir, "changed-after"), "y");
    assert.ok(listedSince(dir, since, "changed-after"), "a change after the pass began is listed, its time truncated to the second");
  });
});
