/**
 * The point-in-time view a backup reads: `VSERVER_ROOTDIR/.backup/NAME/` (0700, on the
 * roots' filesystem) holding
 *   root/   the server's root: a reflink copy (XFS/btrfs), kept between backups and
 *           caught up while it runs, then brought to one point in time while the
 *           server's cgroup is frozen by copying what changed since (v1 freezer or v2
 *           cgroup.freeze, through the cgroup layer; reflink-root-copy.ts);
 *           for a loop-image server a reflink of its image file, made
 *           frozen, mounted read-only (loop-image-view.ts); or — where there are no
 *           reflinks (ext4, tmpfs) — the root itself bind-mounted read-only;
 *   host/config/      the server's configuration directory (/etc/vservers/NAME: limits,
 *                     addresses, hostname, uid mode, flags …), symlinks copied as links;
 *   host/panel.json   the panel's record of the server.
 * The paths are the same for every backup of a server, so restic finds the previous
 * snapshot as parent and reads only changed files (inode and ctime ignored when the
 * copy is new: a fresh reflink copy has new ones).
 *
 * Consistency, said in each snapshot: "reflink" (running, frozen for the copy),
 * "stopped" (a stopped server, kept stopped for the copy; without reflinks for the whole
 * backup: the caller holds the server's lock), "none" (running, no reflinks: files may
 * change while restic reads them — the documented fallback, also for loop-image servers
 * whose images are on a filesystem without reflinks).
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import type { HostPaths } from "../../config/paths";
import { configFiles } from "../../config/vserver/layout";
import { readVserverConfig } from "../../config/vserver/read-config";
import { AgentFailure } from "../../errors";
import { removeRoot } from "../build/build-vserver";
import { diskModeOf } from "../disk/disk-area";
import { initAlive, readRunState } from "../runtime/run-state";
import { mountedAt } from "../../kernel/mounted-at";
import { viewFromLoopImage } from "./loop-image-view";
import { makeReflinkRootCopy, sourceViewOf, type RootCopy } from "./reflink-root-copy";

const run = promisify(execFile);

/** A made view. */
export interface BackupView {
  dir: string;
  root: string;
  host: string;
  consistency: "reflink" | "stopped" | "none";
  /** Milliseconds the server was frozen (0: not frozen). */
  freezeMs: number;
  /** A bind mount of a stopped server's root: the caller keeps the server stopped until the backup ends. */
  holdLock: boolean;
  /** A reflink copy of the root (reflink-root-copy.ts): kept for the next backup when this one succeeds. */
  copy?: RootCopy;
}

/** The view directory of `name`. */
export function viewDir(paths: HostPaths, name: string): string {
  return path.join(paths.rootDir, ".backup", name);
}

/** Removes a view (also one a killed agent left: its bind mount goes first). */
export async function clearView(paths: HostPaths, name: string): Promise<void> {
  const dir = viewDir(paths, name);
  if (!fs.existsSync(dir)) return;
  const root = path.join(dir, "root");
  while (mountedAt(root)) await run("umount", ["--", root]);
  // The read-only view of the guest's tree a killed agent left mounted (reflink-root-copy.ts).
  const source = sourceViewOf(root);
  while (mountedAt(source)) await run("umount", ["--", source]);
  removeRoot(root);
  fs.rmSync(dir, { recursive: true, force: true });
}

/** True when a file on `dir`'s filesystem can be cloned (FICLONE) there. */
async function reflinksWork(dir: string): Promise<boolean> {
  const a = path.join(dir, ".reflink-probe");
  const b = `${a}.copy`;
  try {
    fs.writeFileSync(a, "x", { mode: 0o600 });
    await run("cp", ["--reflink=always", "--", a, b]);
    return true;
  } catch {
    return false;
  } finally {
    fs.rmSync(a, { force: true });
    fs.rmSync(b, { force: true });
  }
}

/** Makes the view of `name` (the caller holds the server's lock). */
export async function makeView(paths: HostPaths, name: string, panelRecord: unknown): Promise<BackupView> {
  await clearView(paths, name);
  const cfg = readVserverConfig(paths, name);
  const dir = viewDir(paths, name);
  fs.mkdirSync(path.dirname(dir), { recursive: true, mode: 0o700 });
  fs.mkdirSync(dir, { mode: 0o700 });
  const root = path.join(dir, "root");
  const host = path.join(dir, "host");
  fs.mkdirSync(host, { mode: 0o700 });
  // The host's own files (root-owned, not guest-writable): cp -a keeps vdir as a link.
  await run("cp", ["-a", "--no-dereference", "--", configFiles(paths, name).dir, path.join(host, "config")]);
  fs.writeFileSync(path.join(host, "panel.json"), `${JSON.stringify(panelRecord ?? {}, null, 2)}\n`, { mode: 0o600 });

  const state = readRunState(paths, name);
  const running = state !== null && initAlive(state);
  const sameFs = fs.statSync(cfg.root).dev === fs.statSync(dir).dev;
  const loop = diskModeOf(paths, name) === "loop";
  if (loop && (await reflinksWork(dir))) {
    fs.mkdirSync(root, { mode: 0o700 });
    const freezeMs = await viewFromLoopImage(paths, name, cfg.root, dir, root, running);
    if (freezeMs !== null) return { dir, root, host, consistency: running ? "reflink" : "stopped", freezeMs, holdLock: false };
    fs.rmdirSync(root);
  }
  const reflink = !loop && sameFs && (await reflinksWork(dir));
  if (reflink) {
    const copy = await makeReflinkRootCopy(paths, name, cfg.root, root, running);
    return { dir, root, host, consistency: running ? "reflink" : "stopped", freezeMs: copy.freezeMs, holdLock: false, copy };
  }
  fs.mkdirSync(root, { mode: 0o700 });
  try {
    await run("mount", ["--bind", "--", cfg.root, root]);
    await run("mount", ["-o", "remount,bind,ro", "--", root]);
  } catch (e) {
    throw new AgentFailure("KERNEL", `cannot make the backup view of "${name}": ${(e as Error).message}`);
  }
  return { dir, root, host, consistency: running ? "none" : "stopped", freezeMs: 0, holdLock: !running };
}
