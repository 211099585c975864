/**
 * The util-vserver config layout without root: parsing and validation of each file
 * (errors name the file), atomic writes, a full write/read round trip, and context ids.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { AgentFailure } from "../../errors";
import { keptCapabilities, mergeBcaps, normalizeBcap } from "./bcapabilities";
import { chooseContext, CONTEXT_BASE } from "./context-ids";
import { readFlags } from "./flags";
import { fstabMounts, parseFstabLine, readFstab } from "./fstab";
import { configFiles, listServerNames } from "./layout";
import { readLimits, UNLIMITED } from "./limits-files";
import { checkVserverName } from "./names";
import { readVserverConfig } from "./read-config";
import type { VserverConfig } from "./types";
import { writeVserverConfig } from "./write-config";
import { writeAtomic } from "./value-files";
import { capabilityNumber } from "../../kernel/launch/capabilities";
import { defaultKeptCaps } from "../../kernel/launch/default-caps";

let dir: string;
const paths = () => ({ confDir: path.join(dir, "etc"), rootDir: path.join(dir, "root"), runDir: path.join(dir, "run") });

function throwsNaming(fn: () => unknown, file: RegExp, why: RegExp): void {
  assert.throws(fn, (e: unknown) => e instanceof AgentFailure && e.code === "BAD_REQUEST" && file.test(e.message) && why.test(e.message));
}

function sample(name: string, context: number): VserverConfig {
  return {
    name, context, nodename: `${name}.example.test`, domainname: "example.test", bcapabilities: ["CAP_NET_ADMIN", "~CAP_MKNOD"],
    flags: ["noreboot"], fstab: [{ source: "tmpfs", target: "/tmp", type: "tmpfs", options: ["size=64m"] }], startOnBoot: true,
    desired: { state: "suspended", by: "panel", reason: "unpaid invoice 17", at: "2026-12-06T10:00:00.000Z" },
    initStyle: "busybox", initArgv: ["/sbin/init"], root: path.join(dir, "root", name),
    interfaces: [{ address: "192.0.2.5", prefix: 24 }, { address: "2001:db8::5", prefix: 64 }],
    limits: { ...UNLIMITED, memory: 256 * 1024 * 1024, cpu: 0.5, netRate: 100_000_000 }, nameservers: ["192.0.2.53"],
    buildMethod: "busybox", distribution: null, uidmap: { start: 1 << 20, count: 65536, shifted: false },
  };
}

describe("util-vserver config layout", () => {
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "vst-conf-"));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("writes every file and reads the same configuration back", () => {
    const cfg = sample("web", 101);
    fs.mkdirSync(configFiles(paths(), "web").dir, { recursive: true });
    writeVserverConfig(paths(), cfg);
    const f = configFiles(paths(), "web");
    assert.equal(fs.readFileSync(f.context, "utf8"), "101\n");
    assert.equal(fs.readFileSync(path.join(f.interfaces, "01", "ip"), "utf8"), "2001:db8::5\n");
    assert.equal(fs.readFileSync(path.join(f.limits, "net-rate"), "utf8"), "100M\n");
    assert.equal(fs.readFileSync(f.fstab, "utf8"), "tmpfs /tmp tmpfs size=64m 0 0\n");
    assert.equal(fs.readlinkSync(f.vdir), cfg.root);
    assert.equal(fs.readFileSync(f.desired, "utf8"), "suspended\nby panel\nat 2026-12-06T10:00:00.000Z\nreason unpaid invoice 17\n");
    assert.deepEqual(readVserverConfig(paths(), "web"), cfg);
    assert.deepEqual(listServerNames(paths()), ["web"]);
  });

  it("names the file and the reason for every bad value", () => {
    const f = configFiles(paths(), "web");
    const keep = fs.readFileSync(f.context, "utf8");
    fs.writeFileSync(f.context, "1\n");
    throwsNaming(() => readVserverConfig(paths(), "web"), /context/, /start at 2/);
    fs.writeFileSync(f.context, keep);
    fs.writeFileSync(path.join(f.limits, "memory"), "lots\n");
    throwsNaming(() => readVserverConfig(paths(), "web"), /limits\/memory/, /lots/);
    fs.writeFileSync(path.join(f.limits, "memory"), "256M\n");
    const desired = fs.readFileSync(f.desired, "utf8");
    fs.writeFileSync(f.desired, "paused\n");
    throwsNaming(() => readVserverConfig(paths(), "web"), /desired/, /"paused" is not one of running, stopped, suspended/);
    fs.writeFileSync(f.desired, "stopped\nby someone\n");
    throwsNaming(() => readVserverConfig(paths(), "web"), /desired/, /by "someone"/);
    fs.writeFileSync(f.desired, "stopped\nwhy not\n");
    throwsNaming(() => readVserverConfig(paths(), "web"), /desired/, /"why not" is not a "by", "at" or "reason" line/);
    fs.writeFileSync(f.desired, desired);
    fs.writeFileSync(path.join(f.limits, "memory"), "1M\n");
    throwsNaming(() => readVserverConfig(paths(), "web"), /limits\/memory/, /at least 4M/);
    fs.rmSync(path.join(f.limits, "memory"));
    fs.writeFileSync(f.bcapabilities, "CAP_FLY\n");
    throwsNaming(() => readVserverConfig(paths(), "web"), /bcapabilities/, /CAP_FLY/);
    fs.writeFileSync(f.bcapabilities, "");
    fs.writeFileSync(path.join(f.interfaces, "00", "prefix"), "33\n");
    throwsNaming(() => readVserverConfig(paths(), "web"), /interfaces\/00\/prefix/, /0\.\.32/);
    fs.writeFileSync(path.join(f.interfaces, "00", "prefix"), "24\n");
    fs.writeFileSync(f.initStyle, "upstart\n");
    throwsNaming(() => readVserverConfig(paths(), "web"), /apps\/init\/style/, /upstart/);
    fs.writeFileSync(f.initStyle, "busybox\n");
    fs.rmSync(f.vdir);
    fs.symlinkSync("relative/root", f.vdir);
    throwsNaming(() => readVserverConfig(paths(), "web"), /vdir/, /absolute/);
    assert.throws(() => readVserverConfig(paths(), "nosuch"), (e: unknown) => e instanceof AgentFailure && e.code === "NOT_FOUND");
  });

  it("flags: only known ones, one per line, comments allowed", () => {
    const file = path.join(dir, "flags");
    fs.writeFileSync(file, "# comment\nnoreboot\nRUNTMPFS\nnoreboot\n");
    assert.deepEqual(readFlags(file), ["noreboot", "runtmpfs"]);
    fs.writeFileSync(file, "lock\n");
    throwsNaming(() => readFlags(file), /flags/, /unknown flag "lock"/);
  });

  it("fstab: bind mounts of host paths and tmpfs, with validated targets and options", () => {
    assert.deepEqual(parseFstabLine("/srv/shared /shared none bind,ro 0 0", "fstab"), { source: "/srv/shared", target: "/shared", type: "bind", options: ["bind", "ro"] });
    const entries = [parseFstabLine("/srv/a /a none rbind,nosuid 0 0", "f"), parseFstabLine("none /tmp tmpfs size=64m,mode=1777,nodev 0 0", "f")];
    assert.deepEqual(fstabMounts(entries), [
      { op: "mount", kind: "bind", target: "/a", source: "/srv/a", flags: ["nosuid", "rec"] },
      { op: "mount", kind: "tmpfs", target: "/tmp", flags: ["nodev"], options: ["size=64m", "mode=1777"] },
    ]);
    throwsNaming(() => parseFstabLine("/srv /proc/x none bind 0 0", "fstab line 1"), /fstab line 1/, /\/proc/);
    throwsNaming(() => parseFstabLine("/srv /a/../b none bind 0 0", "f"), /f/, /normalized/);
    throwsNaming(() => parseFstabLine("srv /a none bind 0 0", "f"), /f/, /host path/);
    throwsNaming(() => parseFstabLine("/dev/sda1 /a ext4 defaults 0 0", "f"), /f/, /ext4/);
    throwsNaming(() => parseFstabLine("none /a tmpfs exec,size=1m 0 0", "f"), /f/, /"exec"/);
    const file = path.join(dir, "fstab");
    fs.writeFileSync(file, "# extra mounts\n\nnone /tmp tmpfs size=64m 0 0\n/x y\n");
    throwsNaming(() => readFstab(file), /fstab line 2/, /SOURCE TARGET/);
  });

  it("bcapabilities add to and remove from the default bounding set", () => {
    assert.equal(normalizeBcap("net_admin"), "CAP_NET_ADMIN");
    assert.equal(normalizeBcap("!CAP_MKNOD"), "~CAP_MKNOD");
    assert.equal(normalizeBcap("CAP_FLY"), undefined);
    assert.deepEqual(mergeBcaps(["CAP_NET_ADMIN", "~CAP_MKNOD"], ["~CAP_NET_ADMIN"]), ["~CAP_NET_ADMIN", "~CAP_MKNOD"]);
    const kept = keptCapabilities(["CAP_NET_ADMIN", "~CAP_MKNOD"]);
    assert.ok(kept.includes(capabilityNumber("NET_ADMIN")!));
    assert.ok(!kept.includes(capabilityNumber("MKNOD")!));
    assert.equal(kept.length, defaultKeptCaps().length);
  });

  it("limits: absent files are unlimited, values in the units people type", () => {
    const ldir = path.join(dir, "limits");
    fs.mkdirSync(ldir);
    fs.writeFileSync(path.join(ldir, "cpu"), "50%\n");
    fs.writeFileSync(path.join(ldir, "io-read"), "20M/s\n");
    fs.writeFileSync(path.join(ldir, "swap"), "unlimited\n");
    assert.deepEqual(readLimits(ldir), { ...UNLIMITED, cpu: 0.5, ioReadBps: 20 * 1024 * 1024 });
  });

  it("names: vserver names that would be cgroup files are refused", () => {
    assert.equal(checkVserverName("web-1"), "web-1");
    for (const bad of ["memory", "tasks", "Web", "1web", "a".repeat(32), "a/b"]) {
      assert.throws(() => checkVserverName(bad), (e: unknown) => e instanceof AgentFailure && e.field === "name", bad);
    }
  });

  it("context ids: the lowest free one from the base, or the requested one if free", () => {
    assert.equal(chooseContext(paths()), CONTEXT_BASE);
    fs.mkdirSync(configFiles(paths(), "db").dir, { recursive: true });
    writeAtomic(configFiles(paths(), "db").context, `${CONTEXT_BASE}\n`);
    assert.equal(chooseContext(paths()), CONTEXT_BASE + 2); // 101 is web's
    assert.equal(chooseContext(paths(), 7), 7);
    assert.throws(() => chooseContext(paths(), 101), (e: unknown) => e instanceof AgentFailure && e.code === "CONFLICT" && /"web"/.test(e.message));
  });
});
