/**
 * A target's repository: made on first use (`restic init` with the sealed password), and
 * its stale lock cleared before each run — a backup the agent was killed in (kill -9)
 * leaves restic's lock behind; restic's own writes (packs first, index, the snapshot
 * last) keep the repository consistent, and a snapshot that was never written is no backup.
 */
import fs from "node:fs";
import path from "node:path";
import type { HostPaths } from "../../config/paths";
import { runRestic, type ResticRepo } from "../../kernel/backup/run-restic";
import { readLocation, resticRepo } from "./target-store";

/** True when the repository exists and the password opens it. */
export async function repositoryOpens(repo: ResticRepo): Promise<boolean> {
  try {
    await runRestic(repo, ["cat", "config", "--no-lock"]);
    return true;
  } catch {
    return false;
  }
}

/** The target's repository, initialized when it is not yet (a local one's directory made 0700). */
export async function openRepository(paths: HostPaths, id: string, opts: { unlock?: boolean } = {}): Promise<ResticRepo> {
  const repo = resticRepo(paths, id);
  if (!(await repositoryOpens(repo))) {
    const loc = readLocation(paths, id);
    if (loc?.kind === "local") {
      fs.mkdirSync(path.dirname(loc.path), { recursive: true, mode: 0o700 });
      // A non-empty directory that restic cannot open is not ours to overwrite: init refuses it.
    }
    await runRestic(repo, ["init"]);
  } else if (opts.unlock) {
    // Only locks of processes that are gone (or older than restic's limit) are removed.
    await runRestic(repo, ["unlock"]);
  }
  return repo;
}
