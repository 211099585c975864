/** Unit tests of the *at() wrappers: success, Node-style error shape, and openat2's
 * resolve flags keeping `..` and symlinks inside a root (temp dirs only). */
import assert from "node:assert/strict";
import { closeSync, mkdirSync, mkdtempSync, readFileSync, readSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import {
  constants as C, fchownat, fstatat, isNativeError, linkat, mkdirat, mknodat, openat2, readdir, readlinkat,
  renameat2, symlinkat, unlinkat,
} from "./index";

function readFd(fd: number): string {
  const buf = Buffer.alloc(4096);
  const n = readSync(fd, buf, 0, buf.length, 0);
  return buf.subarray(0, n).toString("utf8");
}

describe("native fs wrappers", () => {
  let dir = "";
  let root = "";
  let rootFd = -1;
  before(() => {
    dir = mkdtempSync("/tmp/vst-native-");
    root = `${dir}/root`;
    mkdirSync(`${root}/etc`, { recursive: true });
    writeFileSync(`${root}/etc/hostname`, "guest\n");
    writeFileSync(`${dir}/outside`, "host\n");
    symlinkSync("/etc", `${root}/abs-etc`);
    symlinkSync("../../../../../outside", `${root}/up`);
    rootFd = openat2(C.AT_FDCWD, root, C.O_PATH | C.O_DIRECTORY);
  });
  after(() => {
    if (rootFd >= 0) closeSync(rootFd);
    rmSync(dir, { recursive: true, force: true });
  });

  it("throws errors shaped like Node's fs errors", () => {
    assert.throws(() => openat2(rootFd, "etc/missing", C.O_RDONLY), (e: unknown) => {
      assert.ok(isNativeError(e, "ENOENT"));
      assert.equal(e.errno, -2);
      assert.equal(e.syscall, "openat2");
      assert.equal(e.path, "etc/missing");
      assert.equal(e.message, "ENOENT: no such file or directory, openat2 'etc/missing'");
      return true;
    });
  });

  it("rejects bad arguments with TypeError, and NUL inside paths", () => {
    assert.throws(() => openat2(rootFd, "a\0b", C.O_RDONLY), TypeError);
    assert.throws(() => mkdirat(1.5, "x", 0o755), TypeError);
    // @ts-expect-error: wrong type on purpose
    assert.throws(() => unlinkat(rootFd, 42, 0), TypeError);
  });

  it("RESOLVE_IN_ROOT keeps absolute symlinks and `..` inside the root", () => {
    for (const p of ["abs-etc/hostname", "/etc/hostname", "../../../../etc/hostname", "etc/../../../etc/hostname"]) {
      const fd = openat2(rootFd, p, C.O_RDONLY, 0, C.RESOLVE_IN_ROOT);
      try {
        assert.equal(readFd(fd), "guest\n", p);
      } finally {
        closeSync(fd);
      }
    }
    // the relative link climbing out lands on the root's own (missing) /outside
    assert.throws(() => openat2(rootFd, "up", C.O_RDONLY, 0, C.RESOLVE_IN_ROOT), (e) => isNativeError(e, "ENOENT"));
  });

  it("RESOLVE_BENEATH refuses `..` out, NO_SYMLINKS refuses links, NO_MAGICLINKS /proc links", () => {
    assert.throws(() => openat2(rootFd, "../outside", C.O_RDONLY, 0, C.RESOLVE_BENEATH), (e) => isNativeError(e, "EXDEV"));
    assert.throws(() => openat2(rootFd, "abs-etc/hostname", C.O_RDONLY, 0, C.RESOLVE_NO_SYMLINKS), (e) => isNativeError(e, "ELOOP"));
    assert.throws(() => openat2(C.AT_FDCWD, "/proc/self/root/etc", C.O_PATH, 0, C.RESOLVE_NO_MAGICLINKS), (e) => isNativeError(e, "ELOOP"));
  });

  it("mkdirat, renameat2 (NOREPLACE, EXCHANGE), unlinkat (AT_REMOVEDIR)", () => {
    mkdirat(rootFd, "d1", 0o755);
    mkdirat(rootFd, "d2", 0o700);
    assert.throws(() => mkdirat(rootFd, "d1", 0o755), (e) => isNativeError(e, "EEXIST") && e.syscall === "mkdirat");
    assert.throws(() => renameat2(rootFd, "d1", rootFd, "d2", C.RENAME_NOREPLACE), (e) => isNativeError(e, "EEXIST"));
    renameat2(rootFd, "d1", rootFd, "d2", C.RENAME_EXCHANGE);
    assert.equal(fstatat(rootFd, "d1").mode & 0o777, 0o700);
    assert.throws(() => unlinkat(rootFd, "d1", 0), (e) => isNativeError(e, "EISDIR"));
    unlinkat(rootFd, "d1", C.AT_REMOVEDIR);
    unlinkat(rootFd, "d2", C.AT_REMOVEDIR);
    assert.throws(() => fstatat(rootFd, "d2"), (e) => isNativeError(e, "ENOENT"));
  });

  it("symlinkat/readlinkat (string and raw bytes), fstatat NOFOLLOW", () => {
    symlinkat("/etc/shadow", rootFd, "lnk");
    assert.equal(readlinkat(rootFd, "lnk"), "/etc/shadow");
    assert.deepEqual(readlinkat(rootFd, "lnk", true), Buffer.from("/etc/shadow"));
    const st = fstatat(rootFd, "lnk", C.AT_SYMLINK_NOFOLLOW);
    assert.equal(st.type, "symlink");
    assert.equal(typeof st.ino, "bigint");
    assert.throws(() => readlinkat(rootFd, "etc"), (e) => isNativeError(e, "EINVAL"));
    unlinkat(rootFd, "lnk");
  });

  it("fstatat gives type, owner, size, device; fchownat and linkat work on fds", () => {
    const st = fstatat(rootFd, "etc/hostname");
    assert.equal(st.type, "file");
    assert.equal(st.size, 6);
    assert.equal(st.nlink, 1);
    const uid = process.getuid!();
    fchownat(rootFd, "etc/hostname", uid, -1, 0);
    linkat(rootFd, "etc/hostname", rootFd, "hard", 0);
    assert.equal(fstatat(rootFd, "hard").nlink, 2);
    assert.equal(fstatat(rootFd, "", C.AT_EMPTY_PATH).type, "dir");
    unlinkat(rootFd, "hard");
  });

  it("mknodat makes a FIFO; readdir returns raw names and types", () => {
    mknodat(rootFd, "fifo", C.S_IFIFO | 0o600);
    const bad = Buffer.from([0x66, 0xff, 0xfe]); // not UTF-8
    const fd = openat2(rootFd, bad, C.O_WRONLY | C.O_CREAT | C.O_EXCL, 0o600);
    closeSync(fd);
    const d = openat2(rootFd, ".", C.O_PATH | C.O_DIRECTORY);
    try {
      const entries = readdir(d);
      const fifo = entries.find((e) => e.name.equals(Buffer.from("fifo")));
      assert.equal(fifo?.type, C.DT_FIFO);
      assert.ok(entries.some((e) => e.name.equals(bad)));
      unlinkat(d, bad);
      unlinkat(d, "fifo");
    } finally {
      closeSync(d);
    }
    assert.equal(readFileSync(`${dir}/outside`, "utf8"), "host\n");
  });
});
