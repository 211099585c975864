/** checkBackupTarget: `restic check` of a target's repository (stale locks cleared first); the result is kept as its lastCheck. */
import type { HostPaths } from "../../config/paths";
import { runRestic } from "../../kernel/backup/run-restic";
import { openRepository } from "./repository";
import { writeLastCheck } from "./target-store";

/** Checks `target`; resolves with the recorded result (a failed check is recorded and then thrown). */
export async function checkBackupTarget(paths: HostPaths, target: string, readDataSubset?: string, log: (l: string) => void = () => undefined): Promise<void> {
  const repo = await openRepository(paths, target, { unlock: true });
  try {
    const r = await runRestic(repo, ["check", ...(readDataSubset ? [`--read-data-subset=${readDataSubset}`] : [])]);
    const last = r.stdout.trim().split("\n").slice(-1)[0] ?? "no errors were found";
    writeLastCheck(paths, target, true, last);
    log(last);
  } catch (e) {
    writeLastCheck(paths, target, false, (e as Error).message);
    throw e;
  }
}
