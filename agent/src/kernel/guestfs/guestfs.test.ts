/**
 * Host-side file operations in a hostile guest tree: whatever the guest planted at a
 * path (symlinks to host files, FIFOs, directories, `..` games), the host outside the
 * root is never read or written.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import {
  closeSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync,
  statSync, symlinkSync, writeFileSync,
} from "node:fs";
import { after, afterEach, before, beforeEach, describe, it } from "node:test";
import { mknodat, constants as C } from "@/native";
import { ensureGuestSymlink } from "./ensure-guest-symlink";
import { mkdirGuest } from "./mkdir-guest";
import { openGuestRoot } from "./open-guest-root";
import { readGuestFile } from "./read-guest-file";
import { removeGuestTree } from "./remove-guest-tree";
import { writeGuestFile } from "./write-guest-file";

describe("guestfs", () => {
  let base = "";
  let root = "";
  let host = "";
  let fd = -1;
  const hostFile = () => `${host}/secret`;

  before(() => {
    base = mkdtempSync("/tmp/vst-guestfs-");
  });
  after(() => rmSync(base, { recursive: true, force: true }));
  beforeEach(() => {
    root = mkdtempSync(`${base}/root-`);
    host = mkdtempSync(`${base}/host-`);
    writeFileSync(hostFile(), "host secret\n");
    mkdirSync(`${root}/etc`);
    fd = openGuestRoot(root);
  });
  afterEach(() => {
    closeSync(fd);
    assert.equal(readFileSync(hostFile(), "utf8"), "host secret\n", "host file untouched");
    assert.deepEqual(readdirSync(host), ["secret"], "nothing new on the host");
  });

  describe("writeGuestFile", () => {
    it("writes with the exact mode, atomically, leaving no temp file", () => {
      writeGuestFile(fd, "/etc/hostname", "vs1\n", { mode: 0o640 });
      assert.equal(readFileSync(`${root}/etc/hostname`, "utf8"), "vs1\n");
      assert.equal(statSync(`${root}/etc/hostname`).mode & 0o7777, 0o640);
      writeGuestFile(fd, "/etc/hostname", "vs2\n");
      assert.equal(readFileSync(`${root}/etc/hostname`, "utf8"), "vs2\n");
      assert.deepEqual(readdirSync(`${root}/etc`), ["hostname"]);
    });

    for (const [what, plant] of [
      ["an absolute symlink to a host file", (p: string) => symlinkSync(hostFile(), p)],
      ["a relative symlink climbing out", (p: string) => symlinkSync(`../../${host.split("/").pop()}/secret`, p)],
      ["a FIFO", (p: string) => execFileSync("mkfifo", [p])],
      ["a non-empty directory", (p: string) => { mkdirSync(p); writeFileSync(`${p}/x`, "x"); }],
      ["a dangling symlink", (p: string) => symlinkSync("/nonexistent/target", p)],
    ] as const) {
      it(`replaces ${what} instead of following it`, () => {
        plant(`${root}/etc/hostname`);
        writeGuestFile(fd, "/etc/hostname", "guest\n");
        assert.ok(lstatSync(`${root}/etc/hostname`).isFile());
        assert.equal(readFileSync(`${root}/etc/hostname`, "utf8"), "guest\n");
      });
    }

    it("resolves a symlinked parent inside the root, never on the host", () => {
      rmSync(`${root}/etc`, { recursive: true });
      symlinkSync(host, `${root}/etc`); // guest: /etc -> /tmp/.../host-X (a host path)
      assert.throws(() => writeGuestFile(fd, "/etc/hostname", "x"), { code: "ENOENT" });
      // like mkdir -p, a dangling link is not followed to create its target
      assert.throws(() => writeGuestFile(fd, "/etc/hostname", "x", { mkdirs: true }), { code: "ENOTDIR" });
      mkdirSync(`${root}${host}`, { recursive: true }); // the guest makes the link resolve
      writeGuestFile(fd, "/etc/hostname", "inside\n", { mkdirs: true });
      assert.equal(readFileSync(`${root}${host}/hostname`, "utf8"), "inside\n");
      writeGuestFile(fd, "/../../../../etc/hostname", "dots\n");
      assert.equal(readFileSync(`${root}${host}/hostname`, "utf8"), "dots\n");
    });
  });

  describe("readGuestFile", () => {
    it("reads a regular file; refuses symlinks, FIFOs, directories and big files", () => {
      writeFileSync(`${root}/etc/ok`, "fine\n");
      assert.equal(readGuestFile(fd, "/etc/ok").toString(), "fine\n");
      symlinkSync(hostFile(), `${root}/etc/link`);
      assert.throws(() => readGuestFile(fd, "/etc/link"), { code: "ELOOP" });
      // followed, a host path resolves inside the root, where there is no such file
      assert.throws(() => readGuestFile(fd, "/etc/link", { followSymlinks: true }), { code: "ENOENT" });
      execFileSync("mkfifo", [`${root}/etc/fifo`]);
      assert.throws(() => readGuestFile(fd, "/etc/fifo"), { code: "EINVAL" });
      assert.throws(() => readGuestFile(fd, "/etc"), { code: "EISDIR" });
      writeFileSync(`${root}/etc/big`, Buffer.alloc(2048));
      assert.throws(() => readGuestFile(fd, "/etc/big", { maxBytes: 1024 }), { code: "EFBIG" });
    });

    it("follows an in-root symlink when asked", () => {
      writeFileSync(`${root}/etc/real`, "real\n");
      symlinkSync("/etc/real", `${root}/etc/alias`);
      assert.equal(readGuestFile(fd, "/etc/alias", { followSymlinks: true }).toString(), "real\n");
    });
  });

  describe("mkdirGuest and ensureGuestSymlink", () => {
    it("mkdir -p through a symlink to a host dir stays inside the root", () => {
      symlinkSync(host, `${root}/var`);
      assert.throws(() => mkdirGuest(fd, "/var/lib/x"), { code: "ENOTDIR" }); // dangling: refused
      mkdirSync(`${root}${host}`, { recursive: true });
      mkdirGuest(fd, "/var/lib/x", { mode: 0o711 });
      assert.ok(statSync(`${root}${host}/lib/x`).isDirectory());
      assert.equal(statSync(`${root}${host}/lib/x`).mode & 0o777, 0o711);
    });

    it("creates, keeps, and replaces whatever sits at the link's name", () => {
      assert.equal(ensureGuestSymlink(fd, "/etc/mtab", "/proc/mounts"), true);
      assert.equal(ensureGuestSymlink(fd, "/etc/mtab", "/proc/mounts"), false);
      assert.equal(readlinkSync(`${root}/etc/mtab`), "/proc/mounts");
      rmSync(`${root}/etc/mtab`);
      mkdirSync(`${root}/etc/mtab`);
      writeFileSync(`${root}/etc/mtab/f`, "x");
      ensureGuestSymlink(fd, "/etc/mtab", "/proc/self/mounts");
      assert.equal(readlinkSync(`${root}/etc/mtab`), "/proc/self/mounts");
    });
  });

  describe("removeGuestTree", () => {
    it("removes links to host dirs without entering them, and odd names", () => {
      mkdirSync(`${root}/srv/a/b`, { recursive: true });
      symlinkSync(host, `${root}/srv/a/hostlink`);
      symlinkSync(host, `${root}/srv/a/b/hostlink2`);
      writeFileSync(Buffer.from(`${root}/srv/a/\xff\xfe`, "latin1"), "x");
      execFileSync("mkfifo", [`${root}/srv/a/fifo`]);
      const r = removeGuestTree(fd, "/srv");
      assert.deepEqual(r.skippedMounts, []);
      assert.equal(existsSync(`${root}/srv`), false);
      assert.ok(existsSync(`${root}/etc`));
    });

    it("flattens very deep trees (more levels than it holds fds)", () => {
      let p = `${root}/deep`;
      const parts: string[] = [];
      for (let i = 0; i < 200; i++) parts.push("d");
      mkdirSync(`${p}/${parts.join("/")}`, { recursive: true });
      writeFileSync(`${p}/${parts.join("/")}/leaf`, "x");
      removeGuestTree(fd, "/deep");
      assert.equal(existsSync(p), false);
      p = "";
    });

    it("for / removes the contents and keeps the root itself", () => {
      mkdirSync(`${root}/usr/bin`, { recursive: true });
      symlinkSync(host, `${root}/usr/bin/x`);
      removeGuestTree(fd, "/");
      assert.deepEqual(readdirSync(root), []);
    });
  });

  it("(sanity) device nodes need root: covered by guestfs.root.test.ts", () => {
    assert.equal(typeof mknodat, "function");
    assert.equal(typeof C.S_IFCHR, "number");
  });
});
