/**
 * A guest reboot restarts only the guest: reboot(2) in a pid namespace kills the
 * guest's init with SIGHUP (restart) or SIGINT (halt), the monitor records it and runs
 * the on-exit command; the host keeps running.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { after, describe, it } from "node:test";
import { waitGone } from "@/agent/src/testing/cleanup";
import { startTestVserver, type TestVserver } from "@/agent/src/testing/test-vserver";
import { readInitExit, type InitExit } from "./init-exit";

async function waitExit(runDir: string): Promise<InitExit | undefined> {
  for (let i = 0; i < 400; i++) {
    const e = readInitExit(runDir);
    if (e) return e;
    await sleep(25);
  }
  return undefined;
}

function hostUptime(): number {
  return Number(readFileSync("/proc/uptime", "utf8").split(" ")[0]);
}

describe("guest reboot", () => {
  const made: TestVserver[] = [];
  after(async () => {
    for (const v of made) await v.cleanup();
  });

  it("busybox `reboot` ends the init with SIGHUP, recorded as a restart, and runs on-exit", async () => {
    const up = hostUptime();
    // on-exit runs on the host once the init is gone; here it copies the record.
    const w = await startTestVserver("reboot", {
      launch: { onExit: ["/bin/sh", "-c", 'cp "$VS_EXIT_FILE" "$VS_EXIT_FILE.copy"'] },
    });
    made.push(w);
    const marker = `${w.bb.runDir}/init-exit.json.copy`;
    const r = await w.sh("reboot; echo asked");
    assert.equal(r.code, 0, r.stderr);
    const exit = await waitExit(w.bb.runDir);
    assert.ok(exit, "monitor wrote init-exit.json");
    assert.equal(exit.status, "signaled");
    assert.equal(exit.status === "signaled" && exit.signal, 1);
    assert.equal(exit.status === "signaled" && exit.reboot, "restart");
    assert.equal(exit.initPid, w.started.initPid);
    assert.ok(await waitGone(w.started.monitorPid), "monitor left after on-exit");
    assert.ok(existsSync(marker), "on-exit command ran");
    assert.deepEqual(JSON.parse(readFileSync(marker, "utf8")).signal, 1);
    assert.ok(hostUptime() >= up, "host did not reboot");
  });

  it("`poweroff -f` is recorded as a halt (SIGINT)", async () => {
    const v = await startTestVserver("halt");
    made.push(v);
    await v.sh("poweroff -f");
    const exit = await waitExit(v.bb.runDir);
    assert.ok(exit);
    assert.equal(exit.status === "signaled" && exit.signal, 2);
    assert.equal(exit.status === "signaled" && exit.reboot, "halt");
  });

  it("a plain kill of the init is recorded without reboot", async () => {
    const v = await startTestVserver("killed");
    made.push(v);
    v.kill();
    const exit = await waitExit(v.bb.runDir);
    assert.ok(exit);
    assert.equal(exit.status === "signaled" && exit.signal, 9);
    assert.equal(exit.status === "signaled" && exit.reboot, null);
  });
});
