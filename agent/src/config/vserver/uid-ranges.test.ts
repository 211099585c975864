/** uid ranges: the lowest free one, around servers (configured and running), /etc/subuid
 * and host ids; refusals. */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { AgentFailure } from "../../errors";
import { readStartTime } from "../../kernel/launch/proc-stat";
import { writeRunState, type RunState } from "../../ops/runtime/run-state";
import { chooseUidRange, serverRanges } from "./uid-ranges";
import { readUidMap, UID_RANGE_BASE, writeUidMap } from "./uidmap";

let dir: string;
const paths = () => ({ confDir: path.join(dir, "etc"), rootDir: path.join(dir, "root"), runDir: path.join(dir, "run") });
const etc = () => path.join(dir, "hostetc");

describe("uid ranges", () => {
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "vst-uidr-"));
    fs.mkdirSync(etc(), { recursive: true });
    for (const n of ["a", "b"]) fs.mkdirSync(path.join(paths().confDir, n), { recursive: true });
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("gives the lowest free range and skips what servers and the host use", () => {
    assert.deepEqual(chooseUidRange(paths(), undefined, etc()), { start: UID_RANGE_BASE, count: 65536 });
    writeUidMap(paths(), "a", { start: UID_RANGE_BASE, count: 65536, shifted: false });
    // A host user's subordinate ids inside the next range, and a big host uid in the one after.
    fs.writeFileSync(path.join(etc(), "subuid"), `alice:${UID_RANGE_BASE + 65536 + 100}:10\n`);
    fs.writeFileSync(path.join(etc(), "passwd"), `big:x:${UID_RANGE_BASE + 2 * 65536 + 1}:1::/:/bin/sh\n`);
    assert.equal(chooseUidRange(paths(), undefined, etc()).start, UID_RANGE_BASE + 3 * 65536);
  });

  it("takes a requested start only when it overlaps nothing", () => {
    assert.throws(() => chooseUidRange(paths(), UID_RANGE_BASE, etc()), (e) => e instanceof AgentFailure && e.code === "CONFLICT" && /vserver "a"/.test(e.message));
    assert.throws(() => chooseUidRange(paths(), 2 ** 31 - 10, etc()), (e) => e instanceof AgentFailure && e.code === "BAD_REQUEST");
    // Not a multiple of 65536, or below 2^20 where the host's own accounts live.
    for (const bad of [UID_RANGE_BASE + 1000, 1000, 65536, UID_RANGE_BASE - 65536]) {
      assert.throws(() => chooseUidRange(paths(), bad, etc()), (e) => e instanceof AgentFailure && e.code === "BAD_REQUEST" && e.field === "uidStart" && /--uid-start/.test(e.message), String(bad));
    }
    assert.deepEqual(chooseUidRange(paths(), 5 << 20, etc()), { start: 5 << 20, count: 65536 });
  });

  it("reads and validates uidmap/ (errors name the file)", () => {
    assert.deepEqual(readUidMap(paths(), "a"), { start: UID_RANGE_BASE, count: 65536, shifted: false });
    assert.equal(readUidMap(paths(), "b"), null);
    writeUidMap(paths(), "b", { start: 3 << 20, count: 65536, shifted: true });
    assert.deepEqual(readUidMap(paths(), "b"), { start: 3 << 20, count: 65536, shifted: true });
    fs.writeFileSync(path.join(paths().confDir, "b", "uidmap", "shifted"), "42\n");
    assert.throws(() => readUidMap(paths(), "b"), /uidmap\/shifted: the root was shifted by 42/);
    fs.rmSync(path.join(paths().confDir, "b", "uidmap", "start"));
    assert.throws(() => readUidMap(paths(), "b"), /uidmap\/start: missing/);
    // A start the allocator never gives (host accounts, or not on a range boundary).
    for (const bad of [1000, UID_RANGE_BASE + 1000]) {
      writeUidMap(paths(), "b", { start: bad, count: 65536, shifted: false });
      assert.throws(() => readUidMap(paths(), "b"), (e) => e instanceof AgentFailure && e.code === "BAD_REQUEST" && /uidmap\/start: "\d+" is not a multiple of 65536/.test(e.message), String(bad));
    }
    writeUidMap(paths(), "b", null);
    assert.equal(readUidMap(paths(), "b"), null);
  });
});

describe("uid ranges of running servers and broken configs", () => {
  let d: string;
  const p = () => ({ confDir: path.join(d, "etc"), rootDir: path.join(d, "root"), runDir: path.join(d, "run") });
  const state = (name: string, initStartTime: string, start: number): RunState => ({
    version: 1, name, context: 100, initPid: process.pid, initStartTime, monitorPid: process.pid, monitorStartTime: initStartTime,
    startedAt: new Date().toISOString(), root: path.join(p().rootDir, name), cgroupParent: "", cgroupProcs: [], keepCaps: [],
    seccomp: true, noNewPrivs: false, network: false, oneShot: false, uidmap: { start, count: 65536 },
  });
  before(() => {
    d = fs.mkdtempSync(path.join(os.tmpdir(), "vst-uidr-run-"));
    fs.mkdirSync(path.join(d, "hostetc"));
    for (const n of ["live", "dead"]) fs.mkdirSync(path.join(p().confDir, n), { recursive: true });
  });
  after(() => fs.rmSync(d, { recursive: true, force: true }));

  it("keeps the range of a running server switched to shared uids taken until it stops", () => {
    // "live" runs (its init: this process) with the first range but has no uidmap/ any
    // more; "dead" has a run state whose init is gone (another start time).
    writeRunState(p(), state("live", readStartTime(process.pid), UID_RANGE_BASE));
    writeRunState(p(), state("dead", "1", UID_RANGE_BASE + 65536));
    assert.deepEqual(serverRanges(p()).map((t) => t.start), [UID_RANGE_BASE]);
    assert.equal(chooseUidRange(p(), undefined, path.join(d, "hostetc")).start, UID_RANGE_BASE + 65536);
    assert.throws(() => chooseUidRange(p(), UID_RANGE_BASE, path.join(d, "hostetc")), (e) => e instanceof AgentFailure && e.code === "CONFLICT" && /vserver "live" \(running/.test(e.message));
  });

  it("refuses to guess when a server's uidmap/ cannot be read", () => {
    fs.mkdirSync(path.join(p().confDir, "dead", "uidmap", "start"), { recursive: true });
    assert.throws(() => chooseUidRange(p(), undefined, path.join(d, "hostetc")), (e) => e instanceof AgentFailure && /vserver "dead"/.test(e.message) && /uidmap\/start/.test(e.message));
    fs.rmSync(path.join(p().confDir, "dead", "uidmap"), { recursive: true });
    assert.equal(chooseUidRange(p(), undefined, path.join(d, "hostetc")).start, UID_RANGE_BASE + 65536, "a missing uidmap/ is no range");
  });
});
