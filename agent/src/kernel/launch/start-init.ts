/**
 * Starts a vserver's init through vs-start (spec on fd 3, status socket on fd 4; see
 * native/src/helper/start.h). Resolves once the init exists (and, without waitGo, has
 * exec'd); throws HelperError with the failed step. On failure the helpers have already
 * unwound: no process of the attempt is left.
 */
import { spawn, type ChildProcess, type StdioOptions } from "node:child_process";
import type { Socket } from "node:net";
import { helperPath, pidfdOpen, pidfdSendSignal } from "@/native";
import { closeSync } from "node:fs";
import { encodeStartSpec } from "./encode-start-spec";
import { HelperError } from "./helper-error";
import { readStartTime } from "./proc-stat";
import { RecordDecoder, type SpecRecord } from "./records";
import type { StartSpec } from "./spec-types";

/** A started (or paused, with waitGo) init. */
export interface StartedInit {
  /** Host pid of the detached monitor (parent of the init). */
  monitorPid: number;
  /** Host pid of the guest init. */
  initPid: number;
  /** /proc start time of the init: with the pid, its stable identity. */
  startTime: string;
  /** pidfd of the init, owned by the caller once startInit resolved (close it when
   * done, also when go() rejects). */
  pidfd: number;
  /** With waitGo: let the init continue, resolve when it exec'd. Otherwise resolved. */
  go(): Promise<void>;
  /** With waitGo: give up instead (the init exits, the monitor reaps it). */
  abort(): void;
}

/** One of a helper's fds 0-2: nothing, ours, or an open fd number. */
export type HelperFd = "ignore" | "inherit" | number;

/** Options of {@link startInit}. */
export interface StartInitOptions {
  /** fds 0-2 for the helper; they reach the init only with spec.stdio "inherit". */
  stdio?: readonly [HelperFd, HelperFd, HelperFd];
  /** A vs-start from {@link spawnStartHelper}, still waiting for its spec (ignores `stdio`). */
  helper?: ChildProcess;
}

/**
 * Spawns vs-start ahead of need: it blocks reading its spec on fd 3, so a later
 * startInit with `helper` skips the spawn (several ms from a large Node process). A
 * helper that never gets a spec sees EOF when its parent exits and leaves.
 */
export function spawnStartHelper(): ChildProcess {
  return spawn(helperPath("vs-start"), [], { stdio: ["ignore", "ignore", "ignore", "pipe", "pipe"] });
}

/** Spawns vs-start with `spec` (or hands it to `opts.helper`) and follows its status records. */
export function startInit(spec: StartSpec, opts: StartInitOptions = {}): Promise<StartedInit> {
  const base = opts.stdio ?? ["ignore", "ignore", "ignore"];
  const stdio: StdioOptions = [...base, "pipe", "pipe"];
  const child = opts.helper ?? spawn(helperPath("vs-start"), [], { stdio });
  const specPipe = child.stdio[3] as Socket;
  const status = child.stdio[4] as Socket;
  specPipe.on("error", () => {});
  specPipe.end(encodeStartSpec(spec));

  return new Promise<StartedInit>((resolveStart, rejectStart) => {
    const decoder = new RecordDecoder();
    let monitorPid = 0;
    let started: StartedInit | undefined;
    // Once handed out, the pidfd belongs to the caller; before that, to us.
    let handedOut = false;
    let execSeen = false;
    let failure: Error | undefined;
    // The helper's own report wins over side effects of it (a pidfd_open that lost the
    // race against an init that already failed and was reaped).
    let helperFailure: HelperError | undefined;
    let settleExec: { resolve: () => void; reject: (e: Error) => void } | undefined;
    const execDone = new Promise<void>((resolve, reject) => (settleExec = { resolve, reject }));
    execDone.catch(() => {});

    const fail = (e: Error) => {
      failure ??= e;
    };
    const onRecord = (r: SpecRecord) => {
      if (r.key === "monitor") monitorPid = Number(r.fields[0]);
      else if (r.key === "init") {
        const initPid = Number(r.fields[0]);
        const startTime = r.fields[1] ?? "";
        let pidfd: number;
        try {
          pidfd = pidfdOpen(initPid);
          if (readStartTime(initPid) !== startTime) throw new Error("init start time mismatch");
        } catch (e) {
          fail(e as Error);
          return;
        }
        started = {
          monitorPid, initPid, startTime, pidfd,
          go: () => {
            if (spec.waitGo && !status.destroyed) status.write("g");
            return execDone;
          },
          abort: () => {
            status.destroy();
            try { pidfdSendSignal(pidfd, 9); } catch { /* already gone */ }
          },
        };
        if (spec.waitGo) {
          handedOut = true;
          resolveStart(started);
        }
      } else if (r.key === "exec") execSeen = true;
      else if (r.key === "error") helperFailure ??= HelperError.fromRecord("vs-start", r.fields);
    };
    status.on("data", (chunk: Buffer) => {
      try {
        for (const r of decoder.push(chunk)) onRecord(r);
      } catch (e) {
        fail(e as Error);
      }
    });
    status.on("error", (e) => fail(e));
    status.on("close", () => {
      failure = helperFailure ?? failure;
      if (!failure && !(execSeen && decoder.leftover === 0)) {
        failure = new HelperError("vs-start", "status", 32 /* EPIPE: ended without exec */);
      }
      if (failure) {
        if (started && !handedOut) closeSync(started.pidfd);
        settleExec?.reject(failure);
        rejectStart(failure);
      } else {
        settleExec?.resolve();
        if (started && !spec.waitGo) {
          handedOut = true;
          resolveStart(started);
        }
      }
    });
    child.on("error", (e) => {
      fail(e);
      status.destroy();
    });
  });
}
