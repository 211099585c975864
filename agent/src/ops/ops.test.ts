/**
 * Pieces of the ops layer that need no root: the reverter's order and error handling,
 * the flock locks between processes (exclusion, BUSY with the holder, release when the
 * holder dies), vps's CONTEXT and VUID columns and guest uids, vserver-stat's time
 * format, signal names.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { AgentFailure } from "../errors";
import { addColumns, addContextColumn } from "../cli/vps-command";
import { humanBytes, statTime } from "../cli/format";
import { acquireLock, isLocked } from "./locks";
import { parseSignal } from "./manage/kill-vserver";
import { guestUidOf, serverOfCgroup } from "./procs/proc-table";
import { withReverter } from "./reverter";

let dir: string;
const paths = () => ({ confDir: path.join(dir, "etc"), rootDir: path.join(dir, "root"), runDir: path.join(dir, "run") });

describe("ops without root", () => {
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "vst-ops-"));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("the reverter undoes in reverse order, keeps the cause and survives failing undos", async () => {
    const done: string[] = [];
    const undoErrors: string[] = [];
    await assert.rejects(
      withReverter(
        async (r) => {
          r.push("a", () => done.push("a"));
          r.push("b", () => {
            throw new Error("b broke");
          });
          r.push("c", async () => done.push("c"));
          throw new Error("step 4 failed");
        },
        (what) => undoErrors.push(what),
      ),
      (e: unknown) => e instanceof Error && /step 4 failed/.test(e.message) && JSON.stringify((e as { undoFailures?: string[] }).undoFailures) === '["b: b broke"]',
    );
    assert.deepEqual(done, ["c", "a"]);
    assert.deepEqual(undoErrors, ["b"]);
    const kept: string[] = [];
    assert.equal(await withReverter(async (r) => (r.push("x", () => kept.push("x")), 42)), 42);
    assert.deepEqual(kept, []);
  });

  it("a server lock excludes other holders, reports BUSY with the holder, and dies with it", async () => {
    const held = await acquireLock(paths(), "web", 'vserver "web"');
    assert.equal(isLocked(paths(), "web"), true);
    await assert.rejects(acquireLock(paths(), "web", 'vserver "web"', 50), (e: unknown) => e instanceof AgentFailure && e.code === "BUSY" && new RegExp(`pid ${process.pid}`).test(e.message));
    held.release();
    assert.equal(isLocked(paths(), "web"), false);
    // Another process takes it and is killed: the kernel releases the flock.
    const lockFile = path.join(paths().runDir, "locks", "db.lock");
    const child = spawn(process.execPath, ["-e", `const fs=require("fs");const {flock,constants:C}=require(${JSON.stringify(path.resolve("native/build/Release/vsnative.node"))});const fd=fs.openSync(${JSON.stringify(lockFile)},"a");flock(fd,C.LOCK_EX);console.log("locked");setInterval(()=>{},1000)`], { stdio: ["ignore", "pipe", "inherit"] });
    await new Promise<void>((resolve) => child.stdout!.once("data", () => resolve()));
    assert.equal(isLocked(paths(), "db"), true);
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));
    const again = await acquireLock(paths(), "db", 'vserver "db"', 1000);
    again.release();
  });

  it("vps inserts CONTEXT after PID for any ps layout", () => {
    const ps = "USER       PID %CPU COMMAND\nroot         1  0.0 /sbin/init\nroot       250  0.0 init\n";
    const out = addContextColumn(ps, (pid) => (pid === 250 ? "100 web" : "0 MAIN"));
    // util-vserver's fixed width (20) whatever the cells (cli-habits.test.ts has the layout).
    assert.equal(out, "USER       PID CONTEXT              %CPU COMMAND\nroot         1 0 MAIN                0.0 /sbin/init\nroot       250 100 web               0.0 init\n");
    assert.equal(addContextColumn("COMMAND\ninit\n", () => "x"), "COMMAND\ninit\n");
    const two = addColumns("  PID   UID CMD\n    1     0 init\n  250 1048576 init\n", ["CONTEXT", "VUID"], (pid) => (pid === 250 ? ["100 web", "0"] : ["0 MAIN", "-"]));
    assert.equal(two, "  PID CONTEXT VUID   UID CMD\n    1 0 MAIN  -        0 init\n  250 100 web 0    1048576 init\n");
  });

  it("maps a host uid through a process's uid_map to its guest uid", () => {
    assert.equal(guestUidOf("         0    1048576      65536\n", 1048576 + 33), 33);
    assert.equal(guestUidOf("         0    1048576      65536\n", 5), null);
    assert.equal(guestUidOf("         0          0 4294967295\n", 1000), 1000);
    assert.equal(guestUidOf("", 0), null);
  });

  it("maps a process's cgroup lines to its server", () => {
    const text = "12:pids:/vservers/web\n11:freezer:/vservers/web\n0::/system.slice/x\n";
    assert.equal(serverOfCgroup(text, "vservers"), "web");
    assert.equal(serverOfCgroup("0::/user.slice\n", "vservers"), null);
  });

  it("formats vserver-stat times and sizes like util-vserver", () => {
    assert.equal(statTime(37.86), "0m37s86");
    assert.equal(statTime(13 * 3600 + 44), "13h00m44");
    assert.equal(statTime(5 * 86400 + 4 * 3600 + 5 * 60), "5d04h05");
    assert.equal(humanBytes(1536 * 1024), "1.5M");
    assert.equal(parseSignal("kill"), "SIGKILL");
    assert.equal(parseSignal("15"), "SIGTERM");
    assert.throws(() => parseSignal("FOO"), /not a signal/);
  });
});
