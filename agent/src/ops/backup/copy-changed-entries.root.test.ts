/**
 * The frozen pass of a backup's root copy (copy-changed-entries.ts), on a temp tree as
 * root: a copy made by a whole-tree pass is brought to the tree's later state by copying
 * only what changed since the pass began — a file rewritten with its size and mtime set
 * back (only its ctime tells), a file and a directory deleted, a directory moved in whole
 * (its children's ctimes older than the pass), a mode, an owner, a new hard link, a FIFO
 * and a symlink; entries not changed are not listed; nothing changed: nothing listed.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { after, before, describe, it } from "node:test";
import { changedSince, copyChangedSince, RSYNC } from "./copy-changed-entries";

let base = "";

/** Waits until the clock's second is past `sec` (so what follows has a ctime newer than it). */
async function pastSecond(sec: number): Promise<void> {
  while (Math.floor(Date.now() / 1000) <= sec) await sleep(50);
}

/** Every entry below `dir`: type, mode, owner, link target or content, hard link count. */
function describeTree(dir: string): string[] {
  const out = execFileSync("find", [".", "-printf", "%P\\t%y %m %U:%G %n %l\\n"], { cwd: dir, encoding: "utf8" });
  return out
    .split("\n")
    .filter(Boolean)
    .map((l) => {
      const p = path.join(dir, l.split("\t")[0]!);
      return fs.lstatSync(p).isFile() ? `${l} ${fs.readFileSync(p, "utf8")}` : l;
    })
    .sort();
}

describe("copying the entries changed since a pass (the frozen pass of a backup's root copy)", () => {
  before(() => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), "vst-bk-changed-"));
  });
  after(() => {
    if (base) fs.rmSync(base, { recursive: true, force: true });
  });

  it("a copy made before changes equals the tree after copying what changed; unchanged entries are not listed", async () => {
    const src = path.join(base, "src");
    const copy = path.join(base, "copy");
    const outside = path.join(base, "outside");
    for (const d of ["etc", "var/log", "var/lib/app", "gone-dir/sub", "untouched/deep"]) fs.mkdirSync(path.join(src, d), { recursive: true });
    fs.writeFileSync(path.join(src, "etc/conf"), "value=1\n");
    fs.writeFileSync(path.join(src, "etc/same"), "unchanged\n");
    fs.writeFileSync(path.join(src, "var/log/gone"), "old log\n");
    fs.writeFileSync(path.join(src, "gone-dir/sub/x"), "x\n");
    fs.writeFileSync(path.join(src, "untouched/deep/file"), "deep\n");
    fs.writeFileSync(path.join(src, "var/lib/app/data"), "data\n");
    // A tree made before the pass, moved in after it: its children keep their old ctimes.
    fs.mkdirSync(path.join(outside, "tree/inner"), { recursive: true });
    fs.writeFileSync(path.join(outside, "tree/inner/leaf"), "leaf\n");
    const old = fs.statSync(path.join(src, "etc/conf"));
    await pastSecond(Math.floor(Date.now() / 1000) + 1);

    // The pass "while running" begins: the racy-git second before it counts as changed.
    const since = Math.floor(Date.now() / 1000) - 1;
    execFileSync("rsync", [...RSYNC, "--", `${src}/`, `${copy}/`]);
    await pastSecond(since + 1);

    // What happens after the pass, before the freeze.
    fs.writeFileSync(path.join(src, "etc/conf"), "value=2\n");
    fs.utimesSync(path.join(src, "etc/conf"), old.atime, old.mtime); // same size, same mtime: only ctime changed
    fs.rmSync(path.join(src, "var/log/gone"));
    fs.rmSync(path.join(src, "gone-dir"), { recursive: true });
    fs.renameSync(path.join(outside, "tree"), path.join(src, "var/lib/app/tree"));
    fs.chmodSync(path.join(src, "var/lib/app/data"), 0o600);
    fs.chownSync(path.join(src, "untouched/deep/file"), 1234, 5678);
    fs.linkSync(path.join(src, "etc/same"), path.join(src, "etc/same-link"));
    execFileSync("mkfifo", [path.join(src, "etc/fifo")]);
    fs.symlinkSync("/etc/shadow", path.join(src, "etc/hostlink"));

    const found = await changedSince(src, since);
    const listed = Buffer.concat([found.dirs, found.others]).toString("utf8").split("\0").filter(Boolean);
    assert.ok(!listed.includes("untouched"), `an unchanged directory is not listed: ${listed.join(" ")}`);
    assert.ok(!listed.includes("var/lib/app/tree/inner/leaf"), "a moved-in tree's children keep old ctimes");
    assert.ok(listed.includes("var/lib/app/tree"), "the moved-in directory itself is listed");
    assert.ok(listed.includes("etc/conf"), "a file with size and mtime set back is listed by its ctime");

    const n = await copyChangedSince(src, copy, since, path.join(base, "list"));
    assert.equal(n, listed.length);
    assert.deepEqual(describeTree(copy), describeTree(src));
    assert.equal(fs.readFileSync(path.join(copy, "var/lib/app/tree/inner/leaf"), "utf8"), "leaf\n");
    assert.ok(!fs.existsSync(path.join(copy, "var/log/gone")) && !fs.existsSync(path.join(copy, "gone-dir")), "deleted entries are gone from the copy");
    assert.equal(fs.statSync(path.join(copy, "etc/same")).ino, fs.statSync(path.join(copy, "etc/same-link")).ino, "the new hard link is a hard link");
    assert.ok(fs.lstatSync(path.join(copy, "etc/fifo")).isFIFO());
    assert.equal(fs.readlinkSync(path.join(copy, "etc/hostlink")), "/etc/shadow");
  });

  it("lists nothing and copies nothing when nothing changed since the pass", async () => {
    const src = path.join(base, "quiet");
    fs.mkdirSync(path.join(src, "a/b"), { recursive: true });
    fs.writeFileSync(path.join(src, "a/b/f"), "f\n");
    await pastSecond(Math.floor(Date.now() / 1000) + 1);
    const since = Math.floor(Date.now() / 1000) - 1;
    const copy = path.join(base, "quiet-copy");
    execFileSync("rsync", [...RSYNC, "--", `${src}/`, `${copy}/`]);
    assert.equal(await copyChangedSince(src, copy, since, path.join(base, "list2")), 0);
    assert.deepEqual(describeTree(copy), describeTree(src));
  });
});
