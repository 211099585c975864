/**
 * `vserver NAME run CMD...`: start a stopped server with CMD as its init, wait for it to
 * exit and clean up; the result is CMD's exit status. Used to run a command in a fresh
 * server (and by the benchmark for start-to-exit).
 */
import { AgentFailure } from "../../errors";
import type { HostPaths } from "../../config/paths";
import { serverRunDir } from "../../config/vserver/layout";
import { withServerLock } from "../locks";
import { cleanupRun } from "../runtime/cleanup-run";
import { signalInit } from "./stop-vserver";
import { waitInitExit } from "../runtime/wait-exit";
import type { Timings } from "../runtime/timings";
import { ensureStopped, startLocked } from "./start-vserver";
import { refillStartHelperLater } from "../runtime/start-helper-pool";
import type { z } from "zod";
import type { runResult } from "@/lib/protocol/vservers";

/** How the command ended (the wire contract's runResult: exit code, or 128+N when killed by signal N). */
export type RunResult = z.infer<typeof runResult>;

/** Runs `argv` as the init of the stopped server `name`. */
export async function runVserver(
  paths: HostPaths,
  name: string,
  argv: string[],
  opts: { timeoutMs?: number; inheritStdio?: boolean; timings?: Timings } = {},
): Promise<RunResult> {
  if (argv.length === 0 || !argv[0]!.startsWith("/")) throw new AgentFailure("BAD_REQUEST", "argv: the command must be an absolute path in the guest", "argv");
  try {
    return await runLocked(paths, name, argv, opts);
  } finally {
    // The next helper is spawned once the command's status is known, not during the run.
    refillStartHelperLater();
  }
}

async function runLocked(
  paths: HostPaths,
  name: string,
  argv: string[],
  opts: { timeoutMs?: number; inheritStdio?: boolean; timings?: Timings },
): Promise<RunResult> {
  return withServerLock(paths, name, async () => {
    await ensureStopped(paths, name);
    const state = await startLocked(paths, name, { argv, oneShot: true, inheritStdio: opts.inheritStdio, timings: opts.timings });
    let exit = await waitInitExit(serverRunDir(paths, name), state.initPid, state.initStartTime, opts.timeoutMs ?? 600_000);
    opts.timings?.mark("exit");
    const timedOut = exit === "timeout";
    if (timedOut) {
      signalInit(state, 9);
      exit = null;
    }
    await cleanupRun(paths, name, state);
    opts.timings?.mark("cleanup");
    if (exit === null || exit === "timeout") return { exitCode: 137, timedOut };
    return { exitCode: exit.status === "exited" ? exit.code : 128 + exit.signal, timedOut };
  });
}
