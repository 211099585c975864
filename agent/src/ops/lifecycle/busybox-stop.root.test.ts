/**
 * Stopping a busybox server (busybox-halt.ts): the stop ends the init in the pauses of
 * its power-off, but only after its `::shutdown:` actions ran and after a process that
 * takes its time over SIGTERM has finished; the monitor's record then says the host
 * ended it (SIGKILL) rather than its own power-off (SIGINT in its pid namespace), and a
 * stop someone asked for leaves no last-exit record.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { countProcesses } from "@/agent/src/ops/procs/count-processes";
import { setTimeout as sleep } from "node:timers/promises";
import { after, before, describe, it } from "node:test";
import { serverRunDir } from "@/agent/src/config/vserver/layout";
import { readInitExit } from "@/agent/src/kernel/launch/init-exit";
import { readLastExit } from "@/agent/src/ops/lifecycle/exit-record";
import { readRunState } from "@/agent/src/ops/runtime/run-state";
import { cliServers } from "@/agent/src/ops/testing/cli-servers";

const servers = cliServers();
const { ok, build } = servers;

/** How many processes the server has (its group and the groups below it). */
const processesOf = (name: string) => countProcesses(readRunState(servers.host.paths, name)!.cgroupProcs);

describe("stopping a busybox server (real kernel)", () => {
  before(() => servers.setUp());
  after(() => servers.cleanUp());

  it("its shutdown action and a slow SIGTERM handler finish before the stop ends the init in its pause", async () => {
    build("halt1");
    const root = path.join(servers.host.paths.rootDir, "halt1");
    fs.appendFileSync(path.join(root, "etc/inittab"), "::shutdown:/bin/sh -c 'sleep 0.3; echo ran > /root/shutdown-ran'\n");
    ok("vserver", ["halt1", "start"]);
    // Takes 0.4 s over SIGTERM: within the init's one second between SIGTERM and SIGKILL.
    ok("vserver", ["halt1", "exec", "/bin/sh", "-c", "(trap 'sleep 0.4; echo done > /root/term-handled; exit 0' TERM; while :; do sleep 0.05; done) </dev/null >/dev/null 2>&1 &"]);
    for (let i = 0; i < 200 && processesOf("halt1") < 3; i++) await sleep(25);
    assert.ok(processesOf("halt1") >= 3, "the init, the handler's shell and its sleep run");
    const initPid = readRunState(servers.host.paths, "halt1")!.initPid;

    ok("vserver", ["halt1", "stop"]);
    assert.equal(fs.readFileSync(path.join(root, "root/shutdown-ran"), "utf8"), "ran\n", "the ::shutdown: action ran");
    assert.equal(fs.readFileSync(path.join(root, "root/term-handled"), "utf8"), "done\n", "the SIGTERM handler finished");
    const exit = readInitExit(serverRunDir(servers.host.paths, "halt1"));
    assert.equal(exit?.initPid, initPid);
    assert.deepEqual(exit?.status === "signaled" ? exit.signal : exit, 9, "the host ended the init in its pause, before its own power-off");
    assert.equal(readLastExit(servers.host.paths, "halt1"), null, "a stop someone asked for is no exit to record");
    assert.equal(servers.run("vserver", ["halt1", "status"]).code, 3, "status: stopped (LSB's 3)");
  });
});
