/**
 * Run state of a started vserver: `RUNDIR/servers/NAME/state.json`, written right after
 * the init exists (before any later step can fail), so an agent that restarts or
 * crashes, or a CLI in another process, finds the running server again. The init is
 * named by pid AND /proc start time: a reused pid never passes for the guest's init.
 */
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import type { HostPaths } from "../../config/paths";
import { serverRunDir } from "../../config/vserver/layout";
import { readJsonRecord, writeAtomic } from "../../config/vserver/value-files";
import { isZombie, readStartTime } from "../../kernel/launch/proc-stat";

const runStateSchema = z.object({
  version: z.literal(1),
  name: z.string(),
  context: z.number().int(),
  initPid: z.number().int().positive(),
  initStartTime: z.string().regex(/^\d+$/),
  monitorPid: z.number().int().positive(),
  monitorStartTime: z.string(),
  startedAt: z.string(),
  root: z.string(),
  cgroupParent: z.string(),
  cgroupProcs: z.array(z.string()),
  keepCaps: z.array(z.number().int()),
  seccomp: z.boolean(),
  noNewPrivs: z.boolean(),
  network: z.boolean(),
  /** Started by `run`: the caller waits for the exit and cleans up. */
  oneShot: z.boolean().default(false),
  /** The uid range of its user namespace while it runs; null in the shared-uid mode
   * (and for servers started before user namespaces existed). */
  uidmap: z.object({ start: z.number().int(), count: z.number().int() }).nullable().default(null),
});

/** What state.json holds. */
export type RunState = z.infer<typeof runStateSchema>;

/** state.json of `name`. */
export function runStateFile(paths: HostPaths, name: string): string {
  return path.join(serverRunDir(paths, name), "state.json");
}

/** The run state, or null when there is none (or it is unreadable: treated as absent). */
export function readRunState(paths: HostPaths, name: string): RunState | null {
  return readJsonRecord(runStateFile(paths, name), runStateSchema);
}

/** Writes state.json atomically. */
export function writeRunState(paths: HostPaths, state: RunState): void {
  writeAtomic(runStateFile(paths, state.name), `${JSON.stringify(state)}\n`, 0o600);
}

/** Removes state.json (the run directory keeps the monitor's last init-exit.json). */
export function removeRunState(paths: HostPaths, name: string): void {
  fs.rmSync(runStateFile(paths, name), { force: true });
}

/** Whether the process `pid` with `startTime` still runs (not merely its pid, nor its unreaped exit). */
export function processAlive(pid: number, startTime: string): boolean {
  try {
    return readStartTime(pid) === startTime && !isZombie(pid);
  } catch {
    return false;
  }
}

/** Whether the state's init still runs. */
export function initAlive(state: RunState): boolean {
  return processAlive(state.initPid, state.initStartTime);
}
