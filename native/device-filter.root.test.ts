/**
 * The cgroup v2 eBPF device filter on the real kernel, in a `vst-devfilter-*` group on
 * this hybrid host's cgroup2 mount (/sys/fs/cgroup/unified; no controllers needed, the
 * kernel runs device programs of any cgroup2 directory, besides the v1 devices list).
 *
 * A probe process (Node, driven over stdin with one JSON request per line) is moved into
 * the group and opens, reads, writes and mknods from there; the test process itself is
 * the process outside the group. Block nodes use major 240 (reserved for local use, no
 * driver here): in the group the open is refused by the filter with EPERM before any
 * driver is looked up, outside it gets as far as the missing driver (ENXIO).
 */
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, rmdirSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { after, before, describe, it } from "node:test";
import { killAndRemoveCgroup } from "@/agent/src/testing/cleanup";
import { waitFor } from "@/agent/src/kernel/cgroup/wait-for";
import {
  attachDeviceFilter, bpfProgExists, constants as C, isNativeError, mknodat, queryDeviceFilters,
  type DeviceFilterRule,
} from "./index";

const UNIFIED = "/sys/fs/cgroup/unified";
const addonPath = fileURLToPath(new URL("./build/Release/vsnative.node", import.meta.url));
// The kernel's encoding (linux/bpf.h); the first test checks the exported constants.
const B = 1, CH = 2;
const M = 1, R = 2, W = 4;

/** null and zero usable, mknod of any node; everything else denied. */
const firstRules: DeviceFilterRule[] = [
  { type: CH, major: 1, minor: 3, access: R | W | M },
  { type: CH, major: 1, minor: 5, access: R | W | M },
  { type: CH, major: -1, minor: -1, access: M },
  { type: B, major: -1, minor: -1, access: M },
];

/** null usable, full read-only, mknod of char nodes only; zero and block mknod gone. */
const secondRules: DeviceFilterRule[] = [
  { type: CH, major: 1, minor: 3, access: R | W | M },
  { type: CH, major: 1, minor: 7, access: R },
  { type: CH, major: -1, minor: -1, access: M },
];

/** What the probe answers: ok, or the error code of the failed call. */
type Outcome = "ok" | string;

const probeScript = `
const fs = require("node:fs");
const b = require(process.argv[1]);
require("node:readline").createInterface({ input: process.stdin }).on("line", (line) => {
  const q = JSON.parse(line);
  let out = "ok";
  try {
    if (q.op === "mknod") {
      const type = q.kind === "b" ? b.constants.S_IFBLK : b.constants.S_IFCHR;
      b.mknodat(b.constants.AT_FDCWD, q.path, type | 0o600, q.major, q.minor);
    } else {
      const fd = fs.openSync(q.path, q.op === "write" ? "w" : "r");
      try {
        if (q.op === "write") fs.writeSync(fd, Buffer.from("x"));
        else fs.readSync(fd, Buffer.alloc(1));
      } finally {
        fs.closeSync(fd);
      }
    }
  } catch (e) {
    out = e.code || String(e);
  }
  process.stdout.write(JSON.stringify(out) + "\\n");
});
`;

/** A Node process that performs one request per stdin line, from wherever it is put. */
class Probe {
  readonly child: ChildProcess;
  private readonly answers: AsyncIterator<string>;
  constructor() {
    this.child = spawn(process.execPath, ["-e", probeScript, addonPath], { stdio: ["pipe", "pipe", "inherit"] });
    this.answers = createInterface({ input: this.child.stdout! })[Symbol.asyncIterator]();
  }
  async ask(op: "read" | "write", path: string): Promise<Outcome>;
  async ask(op: "mknod", path: string, kind: "b" | "c", major: number, minor: number): Promise<Outcome>;
  async ask(op: string, path: string, kind?: string, major?: number, minor?: number): Promise<Outcome> {
    this.child.stdin!.write(`${JSON.stringify({ op, path, kind, major, minor })}\n`);
    const next = await this.answers.next();
    assert.ok(!next.done, "probe ended");
    return JSON.parse(next.value) as Outcome;
  }
  async kill(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = once(this.child, "exit");
    this.child.kill("SIGKILL");
    await exited;
  }
}

/** What the test process (outside the group) gets for a read of `path`. */
function readOutside(path: string): Outcome {
  try {
    const fd = openSync(path, "r");
    try {
      readSync(fd, Buffer.alloc(1));
    } finally {
      closeSync(fd);
    }
    return "ok";
  } catch (e) {
    return (e as NodeJS.ErrnoException).code ?? String(e);
  }
}

describe("cgroup v2 device filter (eBPF) on /sys/fs/cgroup/unified", () => {
  const name = `vst-devfilter-${randomBytes(4).toString("hex")}`;
  const group = `${UNIFIED}/${name}`;
  let tmp = "";
  let groupFd = -1;
  let probe: Probe | undefined;
  let firstId = 0;
  let secondId = 0;

  before(async () => {
    tmp = mkdtempSync("/tmp/vst-devfilter-");
    mkdirSync(group);
    groupFd = openSync(group, C.O_RDONLY | C.O_DIRECTORY);
    probe = new Probe();
    writeFileSync(`${group}/cgroup.procs`, String(probe.child.pid));
    assert.match(readFileSync(`/proc/${probe.child.pid}/cgroup`, "utf8"), new RegExp(`^0::/${name}$`, "m"));
  });

  after(async () => {
    await probe?.kill();
    if (groupFd >= 0) closeSync(groupFd);
    await killAndRemoveCgroup(group);
    rmSync(tmp, { recursive: true, force: true });
  });

  it("exports the kernel's device type and access constants", () => {
    assert.deepEqual(
      [C.BPF_DEVCG_DEV_BLOCK, C.BPF_DEVCG_DEV_CHAR, C.BPF_DEVCG_ACC_MKNOD, C.BPF_DEVCG_ACC_READ, C.BPF_DEVCG_ACC_WRITE],
      [B, CH, M, R, W],
    );
  });

  it("attaches one program and lists exactly its id", () => {
    assert.deepEqual(queryDeviceFilters(groupFd), []);
    firstId = attachDeviceFilter(groupFd, firstRules);
    assert.ok(firstId > 0);
    assert.deepEqual(queryDeviceFilters(groupFd), [firstId]);
    assert.equal(bpfProgExists(firstId), true);
  });

  it("in the group: /dev/null opens for read and write, /dev/zero reads, /dev/full (c 1:7) is EPERM", async () => {
    assert.equal(await probe!.ask("read", "/dev/null"), "ok");
    assert.equal(await probe!.ask("write", "/dev/null"), "ok");
    assert.equal(await probe!.ask("read", "/dev/zero"), "ok");
    assert.equal(await probe!.ask("read", "/dev/full"), "EPERM");
    assert.equal(await probe!.ask("write", "/dev/full"), "EPERM");
  });

  it("in the group: mknod of a block node works (b *:* m), opening it for read is EPERM", async () => {
    assert.equal(await probe!.ask("mknod", `${tmp}/blk`, "b", 240, 0), "ok");
    assert.equal(await probe!.ask("read", `${tmp}/blk`), "EPERM");
    assert.equal(await probe!.ask("mknod", `${tmp}/full`, "c", 1, 7), "ok");
    assert.equal(await probe!.ask("read", `${tmp}/full`), "EPERM");
  });

  it("a process outside the group is unaffected", () => {
    assert.equal(readOutside("/dev/full"), "ok");
    assert.equal(readOutside(`${tmp}/full`), "ok");
    assert.equal(readOutside(`${tmp}/blk`), "ENXIO"); // the driver, not the filter
    mknodat(C.AT_FDCWD, `${tmp}/blk-outside`, C.S_IFBLK | 0o600, 240, 1);
    assert.equal(readOutside(`${tmp}/blk-outside`), "ENXIO");
  });

  it("re-attaching replaces the program: one id remains, the old one is freed, the new rules apply", async () => {
    secondId = attachDeviceFilter(groupFd, secondRules);
    assert.notEqual(secondId, firstId);
    assert.deepEqual(queryDeviceFilters(groupFd), [secondId]);
    await waitFor(async () => !bpfProgExists(firstId), `program ${firstId} freed after detach`);
    assert.equal(await probe!.ask("read", "/dev/null"), "ok");
    assert.equal(await probe!.ask("read", "/dev/zero"), "EPERM");
    assert.equal(await probe!.ask("read", "/dev/full"), "ok");
    assert.equal(await probe!.ask("write", "/dev/full"), "EPERM"); // w is not a subset of r
    assert.equal(await probe!.ask("mknod", `${tmp}/blk2`, "b", 240, 2), "EPERM");
    assert.equal(await probe!.ask("mknod", `${tmp}/chr2`, "c", 1, 5), "ok");
    assert.equal(await probe!.ask("read", `${tmp}/chr2`), "EPERM");
  });

  it("an empty rule set denies every device, /dev/null included; rules put back restore it", async () => {
    const emptyId = attachDeviceFilter(groupFd, []);
    assert.deepEqual(queryDeviceFilters(groupFd), [emptyId]);
    assert.equal(await probe!.ask("read", "/dev/null"), "EPERM");
    assert.equal(await probe!.ask("mknod", `${tmp}/chr3`, "c", 1, 3), "EPERM");
    secondId = attachDeviceFilter(groupFd, secondRules);
    assert.deepEqual(queryDeviceFilters(groupFd), [secondId]);
    assert.equal(await probe!.ask("read", "/dev/null"), "ok");
  });

  it("type 0 matches char and block nodes alike; access must be a subset of the rule's", async () => {
    const anyTypeId = attachDeviceFilter(groupFd, [
      { type: 0, major: -1, minor: -1, access: M },
      { type: 0, major: 1, minor: 3, access: R },
    ]);
    assert.deepEqual(queryDeviceFilters(groupFd), [anyTypeId]);
    assert.equal(await probe!.ask("mknod", `${tmp}/blk4`, "b", 240, 4), "ok");
    assert.equal(await probe!.ask("mknod", `${tmp}/chr4`, "c", 1, 9), "ok");
    assert.equal(await probe!.ask("read", "/dev/null"), "ok");
    assert.equal(await probe!.ask("write", "/dev/null"), "EPERM");
    assert.equal(await probe!.ask("read", "/dev/zero"), "EPERM");
    secondId = attachDeviceFilter(groupFd, secondRules);
    assert.deepEqual(queryDeviceFilters(groupFd), [secondId]);
  });

  it("refuses bad rules before touching the group, and a non-cgroup2 fd with EBADF", () => {
    const bad: unknown[] = [
      { type: 3, major: 1, minor: 3, access: R },
      { type: CH, major: -2, minor: 3, access: R },
      { type: CH, major: 1, minor: 3, access: 0 },
      { type: CH, major: 1, minor: 3, access: 8 },
      { type: CH, major: 1.5, minor: 3, access: R },
    ];
    for (const rule of bad) {
      assert.throws(() => attachDeviceFilter(groupFd, [rule as DeviceFilterRule]), (e) => e instanceof RangeError || e instanceof TypeError);
    }
    assert.deepEqual(queryDeviceFilters(groupFd), [secondId]);
    const v1 = openSync("/sys/fs/cgroup/devices", C.O_RDONLY | C.O_DIRECTORY);
    try {
      assert.throws(() => attachDeviceFilter(v1, []), (e) => isNativeError(e, "EBADF") && e.syscall === "bpf(BPF_PROG_QUERY)");
    } finally {
      closeSync(v1);
    }
  });

  it("removing the group after its process exited detaches and frees the program", async () => {
    await probe!.kill();
    await waitFor(async () => readFileSync(`${group}/cgroup.procs`, "utf8").trim() === "", "probe left the group");
    closeSync(groupFd);
    groupFd = -1;
    rmdirSync(group);
    await waitFor(async () => !bpfProgExists(secondId), `program ${secondId} freed after rmdir`);
  });
});
