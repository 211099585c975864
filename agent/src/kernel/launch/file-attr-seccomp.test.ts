/**
 * The seccomp rules that keep guests from changing project ids and inode flags, as data
 * and as encoded for the helper (the kernel side: ops/limits/file-attr-seccomp.root.test.ts).
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { defaultSeccomp, FILE_ATTR_IOCTLS, FILE_ATTR_SYSCALLS } from "./default-seccomp";
import { sandboxRecords } from "./encode-start-spec";

describe("file attribute rules", () => {
  it("deny the three setting ioctls by cmd equality and file_setattr, on both ABIs", () => {
    const p = defaultSeccomp();
    for (const abi of ["x86_64", "i386"] as const) {
      const rules = p[abi];
      assert.ok(Array.isArray(rules));
      const ioctl = rules.filter((r) => r.nr === FILE_ATTR_SYSCALLS.ioctl[abi]);
      assert.deepEqual(
        ioctl.map((r) => r.arg),
        [{ index: 1, equals: 0x401c5820 }, { index: 1, equals: 0x40086602 }, { index: 1, equals: 0x40046602 }],
        abi,
      );
      assert.ok(ioctl.every((r) => r.errno === 1));
      assert.deepEqual(rules.find((r) => r.nr === 469), { nr: 469, errno: 1 }, `${abi} file_setattr`);
      assert.ok(!rules.some((r) => r.nr === FILE_ATTR_SYSCALLS.ioctl[abi] && r.arg === undefined), "ioctl as a whole stays allowed");
    }
  });

  it("uses the _IOW values of <linux/fs.h>", () => {
    const iow = (type: string, nr: number, size: number) => ((1 << 30) | (size << 16) | (type.charCodeAt(0) << 8) | nr) >>> 0;
    assert.equal(FILE_ATTR_IOCTLS.FS_IOC_FSSETXATTR, iow("X", 32, 28)); // struct fsxattr is 28 bytes
    assert.equal(FILE_ATTR_IOCTLS.FS_IOC_SETFLAGS, iow("f", 2, 8));
    assert.equal(FILE_ATTR_IOCTLS.FS_IOC32_SETFLAGS, iow("f", 2, 4));
  });

  it("ioctl's numbers match the installed headers (file_setattr when they know it)", (t) => {
    const h64 = "/usr/include/x86_64-linux-gnu/asm/unistd_64.h";
    const h32 = "/usr/include/x86_64-linux-gnu/asm/unistd_32.h";
    if (!existsSync(h64) || !existsSync(h32)) return t.skip("kernel headers not installed");
    const nr = (file: string, name: string) => Number(new RegExp(`#define __NR_${name} (\\d+)`).exec(readFileSync(file, "utf8"))?.[1] ?? NaN);
    assert.equal(nr(h64, "ioctl"), FILE_ATTR_SYSCALLS.ioctl.x86_64);
    assert.equal(nr(h32, "ioctl"), FILE_ATTR_SYSCALLS.ioctl.i386);
    const fs64 = nr(h64, "file_setattr");
    if (!Number.isNaN(fs64)) assert.equal(fs64, FILE_ATTR_SYSCALLS.file_setattr.x86_64);
  });

  it("encodes an equality as `index eq value` and keeps the mask form as it was", () => {
    const records = sandboxRecords({
      keepCaps: [],
      noNewPrivs: false,
      seccomp: {
        x86_64: [
          { nr: 16, errno: 1, arg: { index: 1, equals: 0x401c5820 } },
          { nr: 272, errno: 1, arg: { index: 0, mask: 0x10000000 } },
          { nr: 16, errno: 1, arg: { index: 1, equals: 0 } },
        ],
        i386: "deny",
        denyErrno: 1,
      },
    });
    const syscalls = records.filter((r) => r.key === "syscall").map((r) => r.fields);
    assert.deepEqual(syscalls, [
      ["x86_64", "16", "1", "1", "eq", "0x401c5820"],
      ["x86_64", "272", "1", "0", "0x10000000"],
      ["x86_64", "16", "1", "1", "eq", "0x0"],
    ]);
  });

  it("refuses values the helper's 32-bit compare would cut", () => {
    for (const equals of [2 ** 32, -1, 1.5]) {
      assert.throws(
        () => sandboxRecords({ keepCaps: [], noNewPrivs: false, seccomp: { x86_64: [{ nr: 16, errno: 1, arg: { index: 1, equals } }], i386: "deny", denyErrno: 1 } }),
        /32-bit unsigned/,
      );
    }
  });
});
