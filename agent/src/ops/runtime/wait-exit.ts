/**
 * Waiting for a guest init to end: the monitor writes `init-exit.json` into the run
 * directory when it has reaped the init, so an inotify watch on that directory wakes us
 * at once; a short poll of /proc covers everything else (a monitor that was killed).
 */
import fs from "node:fs";
import path from "node:path";
import { readInitExit, type InitExit } from "../../kernel/launch/init-exit";
import { processAlive } from "./run-state";

/**
 * Resolves with the exit record (or null if the init is gone without one), "timeout", or
 * "enough" as soon as `enough` (looked at on each poll) says there is no need to wait on.
 */
export function waitInitExit(runDir: string, initPid: number, startTime: string, timeoutMs: number): Promise<InitExit | null | "timeout">;
export function waitInitExit(runDir: string, initPid: number, startTime: string, timeoutMs: number, enough: (() => boolean) | undefined): Promise<InitExit | null | "timeout" | "enough">;
export function waitInitExit(runDir: string, initPid: number, startTime: string, timeoutMs: number, enough?: () => boolean): Promise<InitExit | null | "timeout" | "enough"> {
  return new Promise((resolve) => {
    let watcher: fs.FSWatcher | undefined;
    let done = false;
    const finish = (v: InitExit | null | "timeout" | "enough") => {
      if (done) return;
      done = true;
      watcher?.close();
      clearInterval(poll);
      clearTimeout(timer);
      resolve(v);
    };
    const check = () => {
      let exit: InitExit | undefined;
      try {
        exit = readInitExit(runDir);
      } catch {
        exit = undefined; // being replaced: look again at the next event
      }
      if (exit && exit.initPid === initPid && String(exit.startTime) === startTime) return finish(exit);
      if (enough?.()) return finish("enough");
      // Gone without a record for a moment: the monitor may still be writing it.
      if (!processAlive(initPid, startTime) && !fs.existsSync(path.join(runDir, "init-exit.json.tmp"))) {
        setTimeout(() => {
          let late: InitExit | undefined;
          try {
            late = readInitExit(runDir);
          } catch {
            late = undefined;
          }
          finish(late && late.initPid === initPid ? late : null);
        }, 20);
      }
    };
    try {
      watcher = fs.watch(runDir, () => check());
      watcher.on("error", () => undefined);
    } catch {
      watcher = undefined;
    }
    const poll = setInterval(check, 25);
    const timer = setTimeout(() => finish("timeout"), timeoutMs);
    check();
  });
}

/** Waits until a process is gone (bounded); true when it is. */
export async function waitProcessGone(pid: number, startTime: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (processAlive(pid, startTime)) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 10));
  }
  return true;
}
