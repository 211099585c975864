/**
 * `waitGo`: the init exists in its new namespaces but runs no guest code until go(), so
 * the agent can move the host side's veth peer into the guest's netns first.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { closeSync, readFileSync, readlinkSync } from "node:fs";
import { after, describe, it } from "node:test";
import { makeBusyboxRoot, type BusyboxRoot } from "@/agent/src/testing/busybox-root";
import { waitGone } from "@/agent/src/testing/cleanup";
import { makeTestCgroup, type TestCgroup } from "@/agent/src/testing/test-cgroup";
import { pidfdSendSignal } from "@/native";
import { buildStartSpec } from "./build-start-spec";
import { execInVserver } from "./run-in-vserver";
import { startInit, type StartedInit } from "./start-init";

const VETH = `vst-go${process.pid % 10000}`;

function deleteVeth(): void {
  try {
    execFileSync("ip", ["link", "del", VETH], { stdio: "ignore" });
  } catch {
    /* gone with the namespace already */
  }
}

describe("start with waitGo", () => {
  let bb: BusyboxRoot | undefined;
  let cg: TestCgroup | undefined;
  const started: StartedInit[] = [];
  after(async () => {
    for (const s of started) {
      try { pidfdSendSignal(s.pidfd, 9); } catch { /* gone */ }
      closeSync(s.pidfd);
      await waitGone(s.monitorPid);
    }
    deleteVeth();
    await cg?.cleanup();
    bb?.cleanup();
  });

  it("pauses before guest code, lets a veth move in, then runs init", async () => {
    bb = makeBusyboxRoot();
    cg = makeTestCgroup(`go-${process.pid}`);
    const spec = buildStartSpec({ root: bb.root, runDir: bb.runDir, cgroupProcs: cg.procsFiles, waitGo: true });
    const s = await startInit(spec);
    started.push(s);
    assert.notEqual(readlinkSync(`/proc/${s.initPid}/ns/net`), readlinkSync("/proc/self/ns/net"));
    assert.match(readFileSync(`/proc/${s.initPid}/cmdline`, "latin1"), /vs-start/, "still the helper, no guest code yet");
    execFileSync("ip", ["link", "add", VETH, "type", "veth", "peer", "name", `${VETH}g`]);
    execFileSync("ip", ["link", "set", `${VETH}g`, "netns", String(s.initPid)]);
    await s.go();
    const r = await execInVserver(
      { ...spec, initPid: s.initPid, startTime: s.startTime, pidfd: s.pidfd, cgroupProcs: cg.procsFiles },
      { argv: ["/bin/sh", "-c", "ls /sys/class/net; cat /proc/1/cmdline"] },
    );
    assert.match(r.stdout, new RegExp(`^${VETH}g$`, "m"));
    assert.match(r.stdout, /init/);
  });

  it("abort() instead of go() leaves nothing running", async () => {
    const spec = buildStartSpec({ root: bb!.root, runDir: bb!.runDir, cgroupProcs: cg!.procsFiles, waitGo: true });
    const s = await startInit(spec);
    s.abort();
    await assert.rejects(s.go());
    assert.ok(await waitGone(s.monitorPid), "monitor left");
    assert.ok(await waitGone(s.initPid), "init gone");
    closeSync(s.pidfd);
  });
});
