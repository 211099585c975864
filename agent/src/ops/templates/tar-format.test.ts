/**
 * The template tar format without a kernel: headers round-trip through the parser (long
 * and non-UTF-8 names, big ids, xattrs, every member type), chunking does not matter,
 * GNU tar's own archives parse, and archives that climb out, are truncated or corrupt
 * are refused.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { encodeHeader, padding, TAR_END, type TarHeader } from "./tar-format";
import { normalizeMemberPath, TarParser } from "./tar-parser";
import { parseGetfattr, unquote } from "./xattrs";

function header(p: string | Buffer, type: TarHeader["type"], extra: Partial<TarHeader> = {}): TarHeader {
  return {
    path: Buffer.isBuffer(p) ? p : Buffer.from(p),
    type, mode: 0o644, uid: 0, gid: 0, size: 0, mtime: 1_700_000_000, linkname: Buffer.alloc(0),
    devmajor: 0, devminor: 0, xattrs: new Map(), ...extra,
  };
}

function archive(members: [TarHeader, Buffer?][]): Buffer {
  const parts: Buffer[] = [];
  for (const [h, data] of members) {
    parts.push(encodeHeader({ ...h, size: data?.length ?? 0 }));
    if (data) parts.push(data, Buffer.alloc(padding(data.length)));
  }
  parts.push(TAR_END);
  return Buffer.concat(parts);
}

function parse(bytes: Buffer, chunk = 7919): { h: TarHeader; data: Buffer }[] {
  const out: { h: TarHeader; data: Buffer[] }[] = [];
  const p = new TarParser({
    entry: (h) => out.push({ h, data: [] }),
    data: (c) => out[out.length - 1]!.data.push(Buffer.from(c)),
    end: () => undefined,
  });
  for (let i = 0; i < bytes.length; i += chunk) p.push(bytes.subarray(i, i + chunk));
  p.finish();
  return out.map((e) => ({ h: e.h, data: Buffer.concat(e.data) }));
}

describe("template tar format", () => {
  it("round-trips every member type, long and odd names, big ids and xattrs, in any chunking", () => {
    const long = `${"d".repeat(120)}/${"e".repeat(90)}/${"f".repeat(150)}`;
    const odd = Buffer.from([0x66, 0xff, 0xfe, 0x0a, 0x67]);
    const data = Buffer.alloc(70_000, 7);
    const members: [TarHeader, Buffer?][] = [
      [header("", "dir", { mode: 0o755 })],
      [header("etc", "dir", { mode: 0o755 })],
      [header("etc/passwd", "file", { mode: 0o4755, uid: 3_000_000, gid: 7 }), data],
      [header(long, "file"), Buffer.from("long")],
      [header(odd, "file", { xattrs: new Map([["security.capability", Buffer.from([1, 0, 0, 2])]]) }), Buffer.alloc(0)],
      [header("etc/link", "symlink", { linkname: Buffer.from(`/${"x".repeat(200)}`) })],
      [header("etc/hard", "hardlink", { linkname: Buffer.from("etc/passwd") })],
      [header("dev/null", "char", { devmajor: 1, devminor: 3, mode: 0o666 })],
      [header("dev/loop0", "block", { devmajor: 7, devminor: 0 })],
      [header("run/fifo", "fifo")],
    ];
    const bytes = archive(members);
    for (const chunk of [1, 511, 512, 513, 65536]) {
      const got = parse(bytes, chunk);
      assert.equal(got.length, members.length);
      got.forEach((g, i) => {
        const [want, d] = members[i]!;
        assert.ok(g.h.path.equals(want.path), `path ${i}`);
        assert.equal(g.h.type, want.type);
        assert.equal(g.h.mode, want.mode);
        assert.equal(g.h.uid, want.uid);
        assert.equal(g.h.mtime, want.mtime);
        assert.ok(g.h.linkname.equals(want.linkname), `linkname ${i}`);
        assert.equal(g.h.devmajor, want.devmajor);
        assert.equal(g.h.devminor, want.devminor);
        assert.deepEqual([...g.h.xattrs], [...want.xattrs]);
        assert.ok(g.data.equals(d ?? Buffer.alloc(0)), `data ${i}`);
      });
    }
  });

  it("reads GNU tar's archives (./ names, long names, links)", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vst-tar-"));
    try {
      const src = path.join(dir, "src");
      fs.mkdirSync(path.join(src, "a".repeat(60), "b".repeat(60)), { recursive: true });
      fs.writeFileSync(path.join(src, "a".repeat(60), "b".repeat(60), "c".repeat(80)), "deep");
      fs.symlinkSync("/etc/passwd", path.join(src, "ln"));
      fs.writeFileSync(path.join(src, "f"), "x");
      fs.linkSync(path.join(src, "f"), path.join(src, "g"));
      for (const format of ["gnu", "posix"]) {
        const bytes = execFileSync("tar", ["-C", src, `--format=${format}`, "-cf", "-", "."]);
        const got = parse(bytes);
        const names = got.map((g) => g.h.path.toString());
        assert.ok(names.includes(""), format);
        assert.ok(names.includes(`${"a".repeat(60)}/${"b".repeat(60)}/${"c".repeat(80)}`), format);
        assert.equal(got.find((g) => g.h.path.toString() === "ln")?.h.linkname.toString(), "/etc/passwd");
        const hard = got.find((g) => g.h.type === "hardlink");
        assert.ok(hard && ["f", "g"].includes(hard.h.linkname.toString()), format);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses members that climb out, truncated archives and corrupt headers", () => {
    assert.throws(() => normalizeMemberPath(Buffer.from("a/../../etc/passwd")), /climbs out/);
    assert.equal(normalizeMemberPath(Buffer.from("/./etc//passwd/")).toString(), "etc/passwd");
    assert.throws(() => parse(archive([[header("x", "hardlink", { linkname: Buffer.from("../x") })]])), /climbs out/);
    const good = archive([[header("f", "file"), Buffer.alloc(3000, 1)]]);
    assert.throws(() => parse(good.subarray(0, 1024)), /truncated/);
    const bad = Buffer.from(good);
    bad[10] = 0x41;
    assert.throws(() => parse(bad), /checksum/);
    assert.throws(() => parse(Buffer.alloc(0)), /empty/);
  });

  it("parses getfattr's output with its octal escapes", () => {
    assert.ok(unquote(Buffer.from("a\\134b\\012c")).equals(Buffer.from("a\\b\nc")));
    const out = Buffer.from("# file: /proc/self/fd/3//usr/bin/ping\nsecurity.capability=0sAQAAAgAgAAAAAAAAAAAAAAAAAAA=\n\n# file: /proc/self/fd/3//a\\040b\nuser.x=0sAQI=\n\n");
    const x = parseGetfattr(out, "/proc/self/fd/3/");
    assert.deepEqual([...x.keys()], ["usr/bin/ping", "a b"]);
    assert.deepEqual([...x.get("a b")!.get("user.x")!], [1, 2]);
  });
});
