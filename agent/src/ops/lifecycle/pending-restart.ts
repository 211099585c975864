/**
 * A restart the `on-failure` policy scheduled (`RUNDIR/servers/NAME/restart-pending.json`):
 * the exit hook (init-exit-hook.ts) writes it under the server's lock and then waits for
 * its time in its own process — the monitor that ran the guest's init, so a scheduled
 * restart needs no agent, as the guest's reboot does not. Whatever else happens to the
 * server meanwhile removes the record, and the waiting hook leaves without starting
 * anything: a start (the server runs again), a stop or suspension (desired-state.ts), a
 * policy set to `never`, a delete (the run directory goes). The record is checked again
 * under the lock at the time of the restart, so a decision made in the last instant holds.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import type { HostPaths } from "../../config/paths";
import { serverRunDir } from "../../config/vserver/layout";
import { writeAtomic } from "../../config/vserver/value-files";

const pendingSchema = z.object({ token: z.string(), dueAt: z.string() });

/** A scheduled restart. */
export type PendingRestart = z.infer<typeof pendingSchema>;

function pendingFile(paths: HostPaths, name: string): string {
  return path.join(serverRunDir(paths, name), "restart-pending.json");
}

/** Records a restart due in `delaySec`; the caller holds the server's lock. */
export function schedulePendingRestart(paths: HostPaths, name: string, delaySec: number): PendingRestart {
  const p = { token: crypto.randomBytes(12).toString("hex"), dueAt: new Date(Date.now() + delaySec * 1000).toISOString() };
  writeAtomic(pendingFile(paths, name), `${JSON.stringify(p)}\n`, 0o600);
  return p;
}

/** The scheduled restart, or null. */
export function readPendingRestart(paths: HostPaths, name: string): PendingRestart | null {
  try {
    const r = pendingSchema.safeParse(JSON.parse(fs.readFileSync(pendingFile(paths, name), "utf8")));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}

/** Drops a scheduled restart (none is fine). */
export function cancelPendingRestart(paths: HostPaths, name: string): void {
  fs.rmSync(pendingFile(paths, name), { force: true });
}

/** How often a waiting hook looks whether its restart still stands: short enough that a
 * cancelled wait ends soon (a test's cleanup, a delete), long enough to cost nothing. */
const POLL_MS = 250;

/** Waits until `p` is due; false as soon as it is no longer the scheduled restart. */
export async function waitPendingRestart(paths: HostPaths, name: string, p: PendingRestart): Promise<boolean> {
  const due = Date.parse(p.dueAt);
  for (;;) {
    if (readPendingRestart(paths, name)?.token !== p.token) return false;
    const left = due - Date.now();
    if (left <= 0) return true;
    await sleep(Math.min(left, POLL_MS));
  }
}
