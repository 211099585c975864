/**
 * The view through which backups read a running guest's tree (reflink-root-copy.ts): a
 * private bind that is read-only and follows no symlink, so a directory the guest swaps
 * for a symlink to a host path while cp/rsync/find walk by path leads nowhere (ELOOP),
 * while the symlink itself is still read as a link. Real mounts in a temp dir.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { mountedAt, mountOptionsAt } from "../../kernel/mounted-at";
import { readOnlySource } from "./reflink-root-copy";

let base = "";
let at = "";

before(() => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), "vst-rosrc-"));
  fs.mkdirSync(path.join(base, "guest/etc"), { recursive: true });
  fs.writeFileSync(path.join(base, "guest/etc/hostname"), "guest\n");
  fs.mkdirSync(path.join(base, "host-secret"));
  fs.writeFileSync(path.join(base, "host-secret/shadow"), "host secret\n");
  // What the guest swaps in mid-walk: a directory that is a symlink to a host path.
  fs.symlinkSync(path.join(base, "host-secret"), path.join(base, "guest/x"));
  at = path.join(base, "view");
});
after(() => {
  while (at && mountedAt(at)) execFileSync("umount", ["--", at]);
  fs.rmSync(base, { recursive: true, force: true });
});

test("the view is read-only and nosymfollow: a path through a guest symlink fails, the link reads as a link, nothing is written", async () => {
  await readOnlySource(path.join(base, "guest"), at);
  assert.ok(mountOptionsAt(at)?.includes("nosymfollow"));
  assert.equal(fs.readFileSync(path.join(at, "etc/hostname"), "utf8"), "guest\n");
  assert.throws(() => fs.readFileSync(path.join(at, "x/shadow")), (e: NodeJS.ErrnoException) => e.code === "ELOOP", "the host file is not reached through the guest's link");
  assert.equal(fs.readlinkSync(path.join(at, "x")), path.join(base, "host-secret"), "the link itself is still copied as a link");
  assert.throws(() => fs.writeFileSync(path.join(at, "etc/new"), "x"), (e: NodeJS.ErrnoException) => e.code === "EROFS");
  execFileSync("umount", ["--", at]);
  assert.ok(!mountedAt(at));
});
