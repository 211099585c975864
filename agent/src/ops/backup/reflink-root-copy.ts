/**
 * The root of a backup view on a filesystem with reflinks (XFS `reflink=1`, btrfs): a
 * copy of the server's root that shares its extents, brought to one point in time while
 * the server's cgroup is frozen for as short a moment as can be.
 *
 * The copy is kept between backups (`VSERVER_ROOTDIR/.backup-kept/NAME`, 0700, renamed
 * into the view and back: same filesystem, same inodes), so a backup does not copy the
 * whole tree again and restic finds the unchanged files with their inodes and ctimes as
 * they were in the parent snapshot. Only a successful backup keeps it, with the identity
 * (device, inode) of the root directory it copied: a root replaced since (a restore or a
 * reinstall swaps in a new directory) is not caught up from a copy of the old one. The
 * first backup, or one after a failure or a swap, starts from a fresh
 * `cp -a --reflink=always`.
 *
 * A running server, in two passes:
 *   1. while it runs: the copy made (cp) or caught up (`rsync -aHAXS --delete`) — the
 *      whole tree, as long as it takes;
 *   2. frozen: `find -newerct` lists every entry whose ctime is newer than a margin
 *      before pass 1 began, and rsync copies just those: each listed directory with all
 *      below it (--delete), every other listed entry whatever its size and mtime say
 *      (copy-changed-entries.ts; an empty list: nothing to do). ctime cannot be set from
 *      user space and changes with every change of an inode (data, mode, owner, xattrs,
 *      links, a rename of it), and a directory's with every entry made, removed or
 *      renamed in it. An entry not listed has not changed, nor been moved, since before
 *      pass 1, and no directory above it has either: pass 1 found it where it is now and
 *      copied it as it is now. A listed directory is copied with all below it, so a
 *      directory moved in whole (whose children keep their old ctimes) comes complete.
 *      The margin is the "racy git" rule: the kernel stamps a change with its coarse
 *      clock, up to a jiffy (≤ 10 ms) behind the time read when pass 1 began, and a
 *      filesystem may keep only whole seconds (ext4 with 128-byte inodes, as mkfs makes
 *      on a small loop image), so what changed around the start of pass 1 counts as
 *      changed: 50 ms where the tree's timestamps have nanoseconds, else a whole second
 *      down and one more (timestamp-margin.ts). A file changed just before the backup
 *      (before that margin) is then copied by pass 1 while the server runs, not frozen.
 *      Pass 1 that did not end cleanly (a file vanished under rsync or cp) proves
 *      nothing: then the frozen pass is a full rsync, as it always was before.
 * A stopped server: one pass, nothing changes under it.
 *
 * Pass 1 of a kept copy runs rsync's size+mtime check, then copies again every entry
 * whose ctime moved since the last backup's pass 1 began (kept beside the copy): a file
 * rewritten with its size and mtime set back (`touch -r`, `tar x`, within the second of
 * the last freeze) is caught by its ctime, which user space cannot set.
 *
 * The guest's tree is read through a private bind of it, read-only and `nosymfollow`
 * (`source/` in the view directory): cp, rsync and find name entries by path while the
 * server runs, and a directory the guest swaps for a symlink mid-walk must not lead them
 * out of its tree (SECURITY.md rule 1). A symlink is still copied as a link (readlink
 * works there); it is never followed.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import type { HostPaths } from "../../config/paths";
import { removeRoot } from "../build/build-vserver";
import { hostCgroups } from "../runtime/host-cgroups";
import { mountOptionsAt } from "../../kernel/mounted-at";
import { copyChangedSince, RSYNC } from "./copy-changed-entries";
import { changesCountFrom } from "./timestamp-margin";

const run = promisify(execFile);

/** How the copy was made. */
export interface RootCopy {
  /** Milliseconds the server was frozen (0: not frozen). */
  freezeMs: number;
  /** True when the copy is new (new inodes: restic must ignore inode and ctime against its parent). */
  fresh: boolean;
  /** What the frozen pass did: copied the changed entries, all of them (pass 1 unclean), or nothing (stopped). */
  frozenPass: "changed" | "full" | "none";
  /** Entries the frozen pass listed as changed (-1: it did not list, it copied all). */
  changed: number;
  /** The identity of the root directory copied (kept with the copy). */
  source: string;
  /** Seconds since the epoch (fractional) from which a change counts for the next backup (its pass 1 re-copies what changed since). */
  since: number;
}

/** Where a server's root copy waits between backups. */
export function keptCopyDir(paths: HostPaths, name: string): string {
  return path.join(paths.rootDir, ".backup-kept", name);
}

/** The identity of the root directory a copy was made of. */
function rootIdentity(src: string): string {
  const st = fs.statSync(src, { bigint: true });
  return `${st.dev}:${st.ino}`;
}

/** Removes a server's kept copy (the server is deleted, or the copy is not to be trusted). */
export function dropKeptCopy(paths: HostPaths, name: string): void {
  const kept = keptCopyDir(paths, name);
  fs.rmSync(`${kept}.source`, { force: true });
  // An fd walk: the copy holds the guest's own links.
  removeRoot(kept);
  fs.rmSync(kept, { recursive: true, force: true });
}

/** Keeps the view's root copy for the next backup of `name` (after a backup that succeeded). */
export function keepRootCopy(paths: HostPaths, name: string, copy: RootCopy, viewRoot: string): void {
  const kept = keptCopyDir(paths, name);
  fs.mkdirSync(path.dirname(kept), { recursive: true, mode: 0o700 });
  dropKeptCopy(paths, name);
  fs.renameSync(viewRoot, kept);
  fs.writeFileSync(`${kept}.source`, `${copy.source} ${copy.since}`, { mode: 0o600 });
}

/** The `since` of `name`'s kept copy when it was made of the root directory `source` names; null: none that fits. */
function keptCopySince(paths: HostPaths, name: string, source: string): number | null {
  const kept = keptCopyDir(paths, name);
  try {
    const [made, since] = fs.readFileSync(`${kept}.source`, "utf8").split(" ");
    return fs.lstatSync(kept).isDirectory() && made === source && Number.isFinite(Number(since)) ? Number(since) : null;
  } catch {
    return null;
  }
}

/** Mounts a private read-only, nosymfollow bind of `src` on `at` (made here); see the header. */
export async function readOnlySource(src: string, at: string): Promise<void> {
  fs.mkdirSync(at, { mode: 0o700 });
  await run("mount", ["--bind", "--", src, at]);
  try {
    // Private first: a bind in a shared peer group would show up (writable) in other namespaces.
    await run("mount", ["--make-private", "--", at]);
    await run("mount", ["-o", "remount,bind,ro,nosymfollow,nodev", "--", at]);
    const options = mountOptionsAt(at) ?? [];
    if (!options.includes("ro") || !options.includes("nosymfollow")) throw new Error(`the read-only view of the server's root did not take ro,nosymfollow (${options.join(",")})`);
  } catch (e) {
    await run("umount", ["--", at]).catch(() => undefined);
    throw e;
  }
}

/** Exit code of a failed child (execFile's rejection), or a non-zero stand-in. */
function exitCode(e: unknown): number {
  const c = (e as { code?: unknown }).code;
  return typeof c === "number" ? c : 255;
}

/**
 * Makes `root` (inside the view directory, not existing yet) a copy of `src` at one point
 * in time; a running server `name` is frozen only for the second pass.
 */
export async function makeReflinkRootCopy(paths: HostPaths, name: string, src: string, root: string, running: boolean): Promise<RootCopy> {
  const source = rootIdentity(src);
  const prevSince = keptCopySince(paths, name, source);
  const fresh = prevSince === null;
  if (fresh) {
    dropKeptCopy(paths, name);
    fs.mkdirSync(root, { mode: 0o700 });
  } else {
    fs.renameSync(keptCopyDir(paths, name), root);
    fs.rmSync(`${keptCopyDir(paths, name)}.source`, { force: true });
  }
  const from = sourceViewOf(root);
  await readOnlySource(src, from);
  try {
    return await copyFrom(name, from, root, { fresh, prevSince, running, source });
  } finally {
    await run("umount", ["--", from]);
    fs.rmdirSync(from);
  }
}

/** Where the read-only view of the guest's tree is mounted while a copy is made (beside `root`, in the view directory). */
export function sourceViewOf(root: string): string {
  return path.join(path.dirname(root), "source");
}

async function copyFrom(name: string, src: string, root: string, o: { fresh: boolean; prevSince: number | null; running: boolean; source: string }): Promise<RootCopy> {
  const { fresh, running, source } = o;
  const listFile = path.join(path.dirname(root), "changed.list");
  const copyAll = () => run("cp", ["-a", "-x", "--reflink=always", "--", `${src}/.`, root], { maxBuffer: 1 << 20 });
  // A kept copy: size+mtime, then everything whose ctime moved since the last backup's pass 1 (see the header).
  const syncAll = async () => {
    await run("rsync", [...RSYNC, "--", `${src}/`, `${root}/`], { maxBuffer: 1 << 20 });
    if (o.prevSince !== null) await copyChangedSince(src, root, o.prevSince, listFile);
  };
  // The racy-git margin before pass 1 (see the header).
  const since = changesCountFrom(src, Date.now());
  if (!running) {
    await (fresh ? copyAll() : syncAll());
    return { freezeMs: 0, fresh, frozenPass: "none", changed: 0, source, since };
  }
  const clean = await (fresh ? copyAll() : syncAll()).then(
    () => true,
    (e: unknown) => {
      // While the server runs, files vanish under the copy (rsync's 24) or cannot be read in
      // passing; the frozen pass then copies everything.
      if (exitCode(e) === 255) throw e;
      return false;
    },
  );
  const cg = await hostCgroups();
  // Dirty data is written back before the freeze, not inside it.
  await run("sync", ["-f", "--", src]);
  const t0 = process.hrtime.bigint();
  let changed = -1;
  await cg.freeze(name);
  try {
    if (clean) {
      changed = await copyChangedSince(src, root, since, listFile);
    } else {
      await run("rsync", [...RSYNC, "--", `${src}/`, `${root}/`], { maxBuffer: 1 << 20 });
      // Pass 1's catch-up of a kept copy may not have finished: what changed since the last backup, again.
      if (o.prevSince !== null) await copyChangedSince(src, root, o.prevSince, listFile);
    }
  } finally {
    await cg.thaw(name);
  }
  const freezeMs = Math.max(1, Math.round(Number(process.hrtime.bigint() - t0) / 1e6));
  return { freezeMs, fresh, frozenPass: clean ? "changed" : "full", changed, source, since };
}
