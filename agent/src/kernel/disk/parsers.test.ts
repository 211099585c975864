/** Parsers of host text (mountinfo, dumpe2fs, /proc/self/status, kernel config) and tool argv. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { hasCapability } from "./loop/capability";
import { mkfsArgs, mountArgs, resize2fsSize } from "./loop/ext4-args";
import { parseDumpe2fs, superUsage } from "./loop/image-usage";
import { parseKernelConfig } from "./kernel-config";
import { devString, loopsOfImage, mountAt, parseMountinfo } from "./mounts";

const mountinfo = [
  "22 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw,discard",
  "90 22 7:3 / /vservers/web\\0401 rw,nodev,relatime shared:50 - ext4 /dev/loop3 rw",
  "91 22 7:4 / /vservers/web\\0401 rw,relatime shared:51 - xfs /dev/loop4 rw,prjquota",
  "garbage line",
].join("\n");

describe("mountinfo", () => {
  it("parses fields, unescapes octal, keeps the optional fields out", () => {
    const m = parseMountinfo(mountinfo);
    assert.equal(m.length, 3);
    assert.deepEqual(m[1], {
      mountId: 90, parentId: 22, dev: "7:3", root: "/", mountPoint: "/vservers/web 1",
      options: ["rw", "nodev", "relatime"], fsType: "ext4", source: "/dev/loop3", superOptions: ["rw"],
    });
  });

  it("the last mount at a path is the one on top", () => {
    assert.equal(mountAt(parseMountinfo(mountinfo), "/vservers/web 1")?.source, "/dev/loop4");
    assert.equal(mountAt(parseMountinfo(mountinfo), "/vservers/other"), undefined);
  });

  it("decodes dev_t like glibc (large minors too)", () => {
    assert.equal(devString(0xfe00), "254:0");
    assert.equal(devString(7 * 256 + 3), "7:3");
    // glibc's makedev(259, 0x134345): minor's low byte, major's low 12 bits, minor's rest, major's rest.
    const dev = 0x45n | (0x103n << 8n) | (0x134300n << 12n);
    assert.equal(devString(dev), `259:${0x134345}`);
  });

  it("matches loop devices by backing file, also once it was deleted", () => {
    const loops = [
      { device: "/dev/loop1", backingFile: "/v/.images/a.img", autoclear: true },
      { device: "/dev/loop2", backingFile: "/v/.images/a.img (deleted)", autoclear: false },
      { device: "/dev/loop3", backingFile: "/v/.images/ab.img", autoclear: true },
    ];
    assert.deepEqual(loopsOfImage("/v/.images/a.img", loops).map((l) => l.device), ["/dev/loop1", "/dev/loop2"]);
  });
});

describe("ext4 images", () => {
  const dump = `Filesystem volume name:   vs-web1
Inode count:              2000
Block count:              16384
Reserved block count:     0
Overhead clusters:        1160
Free blocks:              15218
Free inodes:              1989
Block size:               4096
`;
  it("reads dumpe2fs -h and reports usage the way statfs would (values seen on a real 64M image)", () => {
    const sb = parseDumpe2fs(dump);
    assert.deepEqual(sb, { blockCount: 16384, freeBlocks: 15218, blockSize: 4096, inodeCount: 2000, freeInodes: 1989, overhead: 1160 });
    // statfs of that image mounted: f_blocks 15224, f_bfree 15218, f_bavail 14891, f_files 2000, f_ffree 1989
    const u = superUsage(sb, 64 * 1024 * 1024);
    assert.equal(u.bytesUsed, (15224 - 15218) * 4096);
    assert.equal(u.bytesAvailable, 14891 * 4096);
    assert.equal(u.inodesUsed, 11);
    assert.equal(u.inodesLimit, 2000);
    assert.equal(u.mounted, false);
    assert.throws(() => parseDumpe2fs("nothing"), /Block count/);
  });

  it("mkfs, mount and resize argv carry the documented choices", () => {
    const a = mkfsArgs("/v/.images/web1.img", "web1", { bytes: 64 * 1024 * 1024, inodes: 5000 });
    const opt = (flag: string) => a[a.indexOf(flag) + 1];
    assert.equal(opt("-N"), "5000");
    assert.equal(opt("-m"), "0");
    assert.equal(opt("-b"), "4096");
    assert.equal(opt("-T"), "default");
    assert.equal(opt("-e"), "remount-ro");
    assert.match(opt("-E")!, /lazy_itable_init=1/);
    assert.deepEqual(a.slice(-2), ["/v/.images/web1.img", "65536k"]);
    assert.ok(!a.includes("-O"), "the journal stays");
    assert.equal(mkfsArgs("/i", "a-very-long-server-name", { bytes: 1 << 24, inodes: 1024 })[a.indexOf("-L") + 1]!.length, 16);
    assert.deepEqual(mountArgs("/i.img", "/v/web1"), ["-t", "ext4", "-o", "loop,nodev", "/i.img", "/v/web1"]);
    assert.equal(resize2fsSize(128 * 1024 * 1024), "131072K");
  });
});

describe("host facts", () => {
  it("reads capabilities from CapEff (this VM lacks CAP_SYS_RESOURCE, bit 24)", () => {
    const status = "Name:\tnode\nCapEff:\t000001fffeffffff\n";
    assert.equal(hasCapability(24, status), false);
    assert.equal(hasCapability(21, status), true);
    assert.equal(hasCapability(24, "CapEff:\t000001ffffffffff\n"), true);
    assert.equal(hasCapability(24, "no caps line"), false);
  });

  it("parses a kernel config; 'is not set' lines are absent", () => {
    const c = parseKernelConfig("CONFIG_QUOTA=y\n# CONFIG_QFMT_V2 is not set\nCONFIG_BLK_DEV_LOOP_MIN_COUNT=8\n");
    assert.equal(c.get("CONFIG_QUOTA"), "y");
    assert.equal(c.has("CONFIG_QFMT_V2"), false);
    assert.equal(c.get("CONFIG_BLK_DEV_LOOP_MIN_COUNT"), "8");
  });
});
