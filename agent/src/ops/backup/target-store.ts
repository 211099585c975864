/**
 * The host's backup targets, kept in the agent's state dir (root only, 0700), beside the
 * agent's own credential and sealed the same way (a root-only 0600 file that never
 * leaves the host):
 *
 *   <state>/backup/targets/ID/location.json   where the repository is (wire type)
 *   <state>/backup/targets/ID/password        the repository's password (made here)
 *   <state>/backup/targets/ID/known_hosts     an SFTP target's pinned host key
 *   <state>/backup/targets/ID/last-check.json the last `restic check`
 *   <state>/backup/targets/ID/records/SNAP.json figures of each backup made here
 *   <state>/backup/targets/ID/key-hint        a local repository's light key (light-key.ts)
 *   <state>/backup/cache                       restic's cache
 *
 * The target "local" needs no set-up: it is made on first use, its repository in
 * `VSERVER_BACKUP_DIR` (default `<state>/backup/repositories/local`).
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { backupCheck, backupLocation, type BackupLocation } from "@/lib/protocol/backups";
import { agentStateDir, type HostPaths } from "../../config/paths";
import { readJsonRecord, writeAtomic } from "../../config/vserver/value-files";
import { AgentFailure } from "../../errors";
import type { ResticRepo } from "../../kernel/backup/run-restic";
import { lightKeyId } from "./light-key";
import { sftpOptions } from "./ssh-identity";

/** The id of the target every host has. */
export const DEFAULT_TARGET = "local";

/** The agent's backup state directory. */
export function backupStateDir(paths: HostPaths): string {
  return path.join(agentStateDir(paths), "backup");
}

/** A target's own directory. */
export function targetDir(paths: HostPaths, id: string): string {
  return path.join(backupStateDir(paths), "targets", id);
}

/** Where the default local target keeps its repository. */
export function defaultLocalRepository(paths: HostPaths, env: NodeJS.ProcessEnv = process.env): string {
  const dir = env.VSERVER_BACKUP_DIR?.trim();
  return dir && path.isAbsolute(dir) ? path.resolve(dir) : path.join(backupStateDir(paths), "repositories", DEFAULT_TARGET);
}

/** The ids of the configured targets (the default one always among them). */
export function listTargetIds(paths: HostPaths): string[] {
  let ids: string[] = [];
  try {
    ids = fs.readdirSync(path.join(backupStateDir(paths), "targets")).filter((n) => /^[a-z0-9][a-z0-9_-]{0,39}$/.test(n));
  } catch {
    /* none yet */
  }
  return [...new Set([DEFAULT_TARGET, ...ids])].sort();
}

/** A target's location, or null when it is not configured (the default one always is). */
export function readLocation(paths: HostPaths, id: string): BackupLocation | null {
  const loc = readJsonRecord(path.join(targetDir(paths, id), "location.json"), backupLocation);
  if (loc) return loc;
  return id === DEFAULT_TARGET ? { kind: "local", path: defaultLocalRepository(paths) } : null;
}

/** Writes a target's location and makes its password when it has none. */
export function writeTarget(paths: HostPaths, id: string, location: BackupLocation): void {
  const dir = targetDir(paths, id);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(backupStateDir(paths), 0o700);
  writeAtomic(path.join(dir, "location.json"), JSON.stringify(location), 0o600);
  ensurePassword(paths, id);
}

/** The sealed password file of a target, made (random, 0600) when missing. */
export function ensurePassword(paths: HostPaths, id: string): string {
  const dir = targetDir(paths, id);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, "password");
  if (!fs.existsSync(file)) {
    // O_EXCL: two first uses at once must not make two passwords (one repo would be unopenable).
    try {
      fs.writeFileSync(file, `${crypto.randomBytes(32).toString("base64url")}\n`, { mode: 0o600, flag: "wx" });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
  }
  return file;
}

/** Forgets a target (its repository stays where it is); the password goes only with `destroySecret`. */
export function removeTarget(paths: HostPaths, id: string, destroySecret: boolean): void {
  const dir = targetDir(paths, id);
  if (!fs.existsSync(dir)) throw new AgentFailure("NOT_FOUND", `no backup target "${id}"`, "id");
  if (destroySecret) {
    fs.rmSync(dir, { recursive: true, force: true });
    return;
  }
  fs.rmSync(path.join(dir, "location.json"), { force: true });
}

/** How restic reaches a target's repository (NOT_FOUND for an unknown target). */
export function resticRepo(paths: HostPaths, id: string): ResticRepo {
  const loc = readLocation(paths, id);
  if (!loc) throw new AgentFailure("NOT_FOUND", `no backup target "${id}"`, "target");
  if (id === DEFAULT_TARGET && !fs.existsSync(path.join(targetDir(paths, id), "location.json"))) writeTarget(paths, id, loc);
  const cacheDir = path.join(backupStateDir(paths), "cache");
  fs.mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
  const passwordFile = ensurePassword(paths, id);
  if (loc.kind === "local") {
    // The light key (light-key.ts), tried first by restic; it falls back to the others.
    const hint = lightKeyId(paths, id, loc.path);
    return { repository: loc.path, passwordFile, cacheDir, options: hint ? ["--key-hint", hint] : [] };
  }
  return {
    repository: `sftp:${loc.user}@${loc.host}:${loc.path}`,
    passwordFile,
    cacheDir,
    options: sftpOptions(paths, id, loc),
  };
}

/** The last check of a target, or null. */
export function readLastCheck(paths: HostPaths, id: string) {
  return readJsonRecord(path.join(targetDir(paths, id), "last-check.json"), backupCheck);
}

/** Records a check's result. */
export function writeLastCheck(paths: HostPaths, id: string, ok: boolean, message: string): void {
  writeAtomic(path.join(targetDir(paths, id), "last-check.json"), JSON.stringify({ at: new Date().toISOString(), ok, message: message.slice(0, 2000) }), 0o600);
}
