/**
 * `vserver NAME backup [--target T] [--owner O] [--note TEXT]`, `vserver NAME backups
 * [--target T]` and `vserver NAME restore SNAPSHOT [--from T] [--path P]… [--into DIR]
 * [--target HOSTDIR]` (verbs of `vserver`): the same ops as the API, in this process.
 * The operator at the host may see every owner's snapshots of a server; a backup made
 * here is owned by `--owner`, else by the owner of the server's last snapshot (the
 * panel's id), else "local".
 */
import path from "node:path";
import { AgentFailure } from "../errors";
import { createBackup } from "../ops/backup/create-backup";
import { listBackups } from "../ops/backup/list-backups";
import { restoreBackup } from "../ops/backup/restore-backup";
import { restoreBackupFiles } from "../ops/backup/restore-backup-files";
import { restoreToHostDir } from "../ops/backup/restore-to-host-dir";
import { DEFAULT_TARGET } from "../ops/backup/target-store";
import { backupOwner, guestPath, snapshotId } from "@/lib/protocol/backups";
import { cliPaths, parseOptions, UsageError } from "./cli-support";
import { EXIT } from "./exit-codes";
import { note, say } from "./cli-output";

/** Help of backup, backups and restore. */
export const BACKUP_HELP = `vserver NAME backup [--target T] [--owner O] [--note TEXT]
                       back up root and configuration to target T (default "local", a
                       restic repository made on first use); a running server is frozen
                       only while a reflink copy of its root is made
vserver NAME backups [--target T]
                       the server's snapshots: id, time, owner, files, added, duration, freeze
vserver NAME restore SNAPSHOT [--from T] [--path P]... [--into DIR] [--target HOSTDIR]
                       no --path: the whole server (old root kept until the restored one
                       runs); --path: those files/dirs into the server (running or not),
                       into guest DIR with --into; --target: into HOSTDIR on the host
                       instead, the server untouched`;

function hms(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)}s` : `${ms}ms`;
}

function size(n: number): string {
  const units = ["B", "K", "M", "G", "T"];
  let i = 0;
  for (; n >= 1024 && i < units.length - 1; i++) n /= 1024;
  return `${i ? n.toFixed(1) : n}${units[i]}`;
}

function targetOf(v: string | undefined): string {
  return v ?? DEFAULT_TARGET;
}

/** Runs `vserver NAME backup …`. */
export async function backupCommand(name: string, args: string[]): Promise<number> {
  const { values, positionals } = parseOptions(args, { target: { type: "string" }, owner: { type: "string" }, note: { type: "string" } });
  if (positionals.length) throw new UsageError(`backup: unexpected argument "${positionals[0]}"`);
  const paths = cliPaths();
  const target = targetOf(values.target);
  let owner = values.owner;
  if (owner !== undefined && !backupOwner.safeParse(owner).success) throw new UsageError("--owner: A-Z, a-z, 0-9, _ - (up to 64)");
  if (owner === undefined) owner = (await listBackups(paths, target, { name })).at(-1)?.owner ?? "local";
  const s = await createBackup(paths, { name, owner, target, note: values.note ?? "", log: note });
  say(`${s.shortId} ${s.consistency}${s.freezeMs ? ` (frozen ${s.freezeMs} ms)` : ""}: ${s.files} files, ${size(s.totalBytes)}, ${size(s.addedBytes)} added in ${hms(s.durationMs)}`);
  return EXIT.OK;
}

/** Runs `vserver NAME backups …`. */
export async function backupsCommand(name: string, args: string[]): Promise<number> {
  const { values, positionals } = parseOptions(args, { target: { type: "string" } });
  if (positionals.length) throw new UsageError(`backups: unexpected argument "${positionals[0]}"`);
  const list = await listBackups(cliPaths(), targetOf(values.target), { name });
  say("ID       TIME                 OWNER            FILES     SIZE    ADDED  DURATION  FREEZE  VIEW");
  for (const s of list) {
    const freeze = s.freezeMs === null ? "-" : hms(s.freezeMs);
    say(`${s.shortId} ${s.time.slice(0, 19).replace("T", " ")}  ${s.owner.padEnd(16).slice(0, 16)} ${String(s.files).padStart(5)} ${size(s.totalBytes).padStart(8)} ${size(s.addedBytes).padStart(8)} ${hms(s.durationMs).padStart(9)} ${freeze.padStart(7)}  ${s.consistency}`);
  }
  return EXIT.OK;
}

/** Runs `vserver NAME restore SNAPSHOT …`. */
export async function restoreCommand(name: string, args: string[]): Promise<number> {
  const { values, positionals } = parseOptions(args, {
    from: { type: "string" },
    path: { type: "string", multiple: true },
    into: { type: "string" },
    target: { type: "string" },
  });
  const [snapshot, ...more] = positionals;
  if (!snapshot || more.length) throw new UsageError("usage: vserver NAME restore SNAPSHOT [--from T] [--path P]... [--into DIR] [--target HOSTDIR]");
  if (!snapshotId.safeParse(snapshot).success) throw new UsageError("SNAPSHOT: 8 or 64 hex digits (see `vserver NAME backups`)");
  const pathsIn = values.path ?? [];
  for (const p of [...pathsIn, ...(values.into ? [values.into] : [])]) if (!guestPath.safeParse(p).success) throw new UsageError(`${p}: an absolute path inside the server, without ..`);
  if (values.into && !pathsIn.length) throw new UsageError("--into needs --path");
  if (values.target && (values.into || pathsIn.length > 1)) throw new UsageError("--target takes at most one --path and no --into");
  const paths = cliPaths();
  const target = targetOf(values.from);
  // The operator may restore any owner's snapshot of this server: the owner is the snapshot's.
  const owner = (await listBackups(paths, target, { name })).find((s) => s.id.startsWith(snapshot))?.owner;
  if (!owner) throw new AgentFailure("NOT_FOUND", `no snapshot ${snapshot} of "${name}" on target "${target}"`, "snapshot");
  const ref = { target, name, owner, snapshot };
  if (values.target) {
    const n = await restoreToHostDir(paths, ref, pathsIn[0] ?? "/", path.resolve(values.target));
    say(`restored ${n} entr${n === 1 ? "y" : "ies"} into ${path.resolve(values.target)}`);
  } else if (pathsIn.length) {
    const n = await restoreBackupFiles(paths, { ...ref, paths: pathsIn, into: values.into, log: note });
    say(`restored ${n} path(s) into ${name}`);
  } else {
    const r = await restoreBackup(paths, { ...ref, log: note });
    say(`${name} restored to ${snapshot}${r.started ? " and running" : ""}`);
  }
  return EXIT.OK;
}
