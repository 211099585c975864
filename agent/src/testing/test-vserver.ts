/**
 * Starts a busybox vserver for kernel tests with the default policy, in its own test
 * cgroup, and tears everything down again (also after a half-failed start).
 *
 *   const vs = await startTestVserver("a");
 *   const r = await vs.sh("hostname");      // runs in the guest through vs-enter
 *   await vs.cleanup();                      // in after(): kills, unmounts, removes
 */
import { closeSync } from "node:fs";
import { pidfdSendSignal } from "@/native";
import { buildStartSpec, type VserverLaunchDescription } from "@/agent/src/kernel/launch/build-start-spec";
import type { EnterTarget } from "@/agent/src/kernel/launch/enter-spec";
import { execInVserver, type ExecResult } from "@/agent/src/kernel/launch/run-in-vserver";
import type { StartSpec } from "@/agent/src/kernel/launch/spec-types";
import { startInit, type StartedInit } from "@/agent/src/kernel/launch/start-init";
import { makeBusyboxRoot, type BusyboxRoot, type BusyboxRootOptions } from "./busybox-root";
import { waitGone } from "./cleanup";
import { makeTestCgroup, type TestCgroup } from "./test-cgroup";

/** A running test vserver. */
export interface TestVserver {
  bb: BusyboxRoot;
  cg: TestCgroup;
  spec: StartSpec;
  started: StartedInit;
  target: EnterTarget;
  /** Runs `/bin/sh -c script` inside the guest. */
  sh(script: string, input?: string): Promise<ExecResult>;
  /** Kills the init (the monitor then records the exit and leaves). */
  kill(): void;
  /** Kills everything, unmounts, removes the root and the cgroups. Idempotent. */
  cleanup(): Promise<void>;
}

/** Options: root contents and launch description overrides. */
export interface TestVserverOptions extends BusyboxRootOptions {
  launch?: Partial<VserverLaunchDescription>;
}

/** Builds a root and starts it; on failure everything made so far is removed. */
export async function startTestVserver(name: string, opts: TestVserverOptions = {}): Promise<TestVserver> {
  const bb = makeBusyboxRoot(opts);
  const cg = makeTestCgroup(`${name}-${process.pid}`);
  const spec = buildStartSpec({
    root: bb.root,
    runDir: bb.runDir,
    hostname: `vst-${name}`,
    cgroupProcs: cg.procsFiles,
    monitorLog: `${bb.runDir}/monitor.log`,
    ...opts.launch,
  });
  let started: StartedInit;
  try {
    started = await startInit(spec);
  } catch (e) {
    await cg.cleanup();
    bb.cleanup();
    throw e;
  }
  const target: EnterTarget = {
    initPid: started.initPid,
    startTime: started.startTime,
    pidfd: started.pidfd,
    cgroupProcs: cg.procsFiles,
    keepCaps: spec.keepCaps,
    seccomp: spec.seccomp,
    noNewPrivs: spec.noNewPrivs,
  };
  let closed = false;
  const kill = () => {
    if (closed) return;
    try {
      pidfdSendSignal(started.pidfd, 9);
    } catch {
      /* already gone */
    }
  };
  return {
    bb, cg, spec, started, target, kill,
    sh: (script, input) => execInVserver(target, { argv: ["/bin/sh", "-c", script] }, input),
    async cleanup() {
      kill();
      if (!closed) {
        closed = true;
        closeSync(started.pidfd);
      }
      await waitGone(started.monitorPid);
      await cg.cleanup();
      bb.cleanup();
    },
  };
}
