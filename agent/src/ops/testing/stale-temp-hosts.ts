/**
 * Temp hosts left by a test run that was killed (a CI timeout, a session that ended
 * mid-run): their servers keep running by design, and hold host-wide names (`vsh<ctx>`
 * links, `vs<ctx>` tables, loop devices) that the next run's servers collide with. The
 * test runner sweeps them before it starts; a host whose owner still runs is never one.
 */
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { processAlive } from "../runtime/run-state";
import { OWNER_FILE } from "./temp-host";

const ownerSchema = z.object({ pid: z.number().int().positive(), startTime: z.string() });

/** True when the process that made the temp host at `base` still runs (same pid and start time). */
export function ownerAlive(base: string): boolean {
  let owner: z.infer<typeof ownerSchema>;
  try {
    owner = ownerSchema.parse(JSON.parse(fs.readFileSync(path.join(base, OWNER_FILE), "utf8")));
  } catch {
    // No readable record (made by an older version, or cut short while being made): not
    // provably stale, so leave it alone.
    return true;
  }
  return processAlive(owner.pid, owner.startTime);
}

/** Temp hosts (`vst-*` with an owner record) in `tmp` whose owner is gone. */
export function staleTempHosts(tmp = "/tmp"): string[] {
  return fs
    .readdirSync(tmp, { withFileTypes: true })
    .filter((e) => e.isDirectory() && e.name.startsWith("vst-") && fs.existsSync(path.join(tmp, e.name, OWNER_FILE)))
    .map((e) => path.join(tmp, e.name))
    .filter((base) => !ownerAlive(base));
}
