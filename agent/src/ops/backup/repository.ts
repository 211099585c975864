/**
 * A target's repository: made on first use (`restic init` with the sealed password), and
 * its stale lock cleared before each run — a backup the agent was killed in (kill -9)
 * leaves restic's lock behind; restic's own writes (packs first, index, the snapshot
 * last) keep the repository consistent, and a snapshot that was never written is no backup.
 *
 * Every restic run opens the repository's key with scrypt, calibrated by `restic init` to
 * about half a second of CPU (much more on a loaded host) and not adjustable in restic
 * 0.14: each run saved is that much time saved. So a local repository whose `config`
 * exists is not opened just to see that it opens (a wrong password still fails the run
 * that follows, with the same error), and `restic unlock` runs only when its `locks/`
 * holds a lock at all; and a local repository gets a second key with a cheap KDF that
 * restic tries first (light-key.ts). SFTP targets are asked as before.
 */
import fs from "node:fs";
import path from "node:path";
import type { HostPaths } from "../../config/paths";
import { runRestic, type ResticRepo } from "../../kernel/backup/run-restic";
import { withLock } from "../locks";
import { addLightKey, lightKeyId } from "./light-key";
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

/** The directory of a repository on this host, or null (SFTP). */
export function localRepositoryDir(repo: ResticRepo): string | null {
  return path.isAbsolute(repo.repository) ? repo.repository : null;
}

/** True when a local repository has a lock file (a live run's or a stale one). */
function hasLocks(dir: string): boolean {
  try {
    return fs.readdirSync(path.join(dir, "locks")).length > 0;
  } catch {
    return true; // cannot tell: let restic look
  }
}

/** `repo` with its light key as restic's key hint, made first when it has none (light-key.ts). */
async function withLightKey(paths: HostPaths, id: string, repo: ResticRepo, dir: string): Promise<ResticRepo> {
  if (repo.options.includes("--key-hint") || lightKeyId(paths, id, dir)) return resticRepo(paths, id);
  // Without it every restic run still works, only slower.
  const made = await addLightKey(paths, id, repo, dir).catch(() => null);
  return made ? resticRepo(paths, id) : repo;
}

/**
 * The target's repository, initialized when it is not yet (a local one's directory made
 * 0700). Making it is done under the target's lock: two first uses at once (the first
 * backups of two servers, or a backup and the weekly check of a new target) would each run
 * `restic init`, the second overwriting the first's config under the first's keys, and
 * the repository would answer "config or key … is damaged" from then on.
 */
export async function openRepository(paths: HostPaths, id: string, opts: { unlock?: boolean } = {}): Promise<ResticRepo> {
  const repo = resticRepo(paths, id);
  const local = localRepositoryDir(repo);
  // The common case needs no lock: a local repository that exists and has its light key
  // (resticRepo names it as the key hint only when its file is there).
  if (local && fs.existsSync(path.join(local, "config")) && repo.options.includes("--key-hint")) {
    if (opts.unlock && hasLocks(local)) await runRestic(repo, ["unlock"]);
    return repo;
  }
  return withLock(paths, repositoryLockKey(id), `the repository of backup target "${id}"`, () => makeOrOpen(paths, id, repo, local, opts), 10 * 60_000);
}

/** The lock key of a target's repository (no server name starts with a dot). */
export function repositoryLockKey(id: string): string {
  return `.restic-repo-${id}`;
}

/** openRepository's slow path, under the target's lock: everything is looked at again. */
async function makeOrOpen(paths: HostPaths, id: string, repo: ResticRepo, local: string | null, opts: { unlock?: boolean }): Promise<ResticRepo> {
  if (local && fs.existsSync(path.join(local, "config"))) {
    const light = await withLightKey(paths, id, repo, local);
    if (opts.unlock && hasLocks(local)) await runRestic(light, ["unlock"]);
    return light;
  }
  if (!(await repositoryOpens(repo))) {
    const loc = readLocation(paths, id);
    if (loc?.kind === "local") {
      fs.mkdirSync(path.dirname(loc.path), { recursive: true, mode: 0o700 });
      // A non-empty directory that restic cannot open is not ours to overwrite: init refuses it.
    }
    await runRestic(repo, ["init"]);
    if (local) return withLightKey(paths, id, repo, local);
  } else if (opts.unlock) {
    // Only locks of processes that are gone (or older than restic's limit) are removed.
    await runRestic(repo, ["unlock"]);
  }
  return repo;
}
