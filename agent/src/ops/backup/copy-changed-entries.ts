/**
 * The frozen pass of a backup's root copy (reflink-root-copy.ts): brings a copy that a
 * whole-tree pass made (or caught up) while the server ran to the root's state now, by
 * copying only the entries whose ctime is newer than `since` — every entry changed in
 * any way, made, or renamed since then, and every directory that gained, lost or renamed
 * an entry. Listed directories are copied with all below them (rsync -r --delete): a
 * directory moved in whole keeps its children's old ctimes, yet comes complete; an
 * entry removed shows as its directory's change and is removed from the copy.
 * `find` does not follow links; the list is raw bytes (guest names need not be UTF-8).
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import { promisify } from "node:util";

const run = promisify(execFile);

/** rsync's options for a root copy: everything an entry is (hard links, ACLs, xattrs, holes), numeric ids, one filesystem. */
export const RSYNC = ["-aHAXS", "--numeric-ids", "--delete", "-x"];

/** What changed: NUL-terminated names below the root ("." for the root itself). */
export interface ChangedEntries {
  /** Directories (copied with all below them). */
  dirs: Buffer;
  /** Everything else (copied whatever their size and mtime say). */
  others: Buffer;
  count: number;
}

/** The entries below `src` whose ctime is newer than `since` (epoch seconds). */
export async function changedSince(src: string, since: number): Promise<ChangedEntries> {
  const { stdout } = await run("find", [".", "-xdev", "-newerct", `@${since}`, "-printf", "%y%P\\0"], { cwd: src, encoding: "buffer", maxBuffer: 1 << 30 });
  const dirs: Buffer[] = [];
  const others: Buffer[] = [];
  const nul = Buffer.from([0]);
  let start = 0;
  for (let i = 0; i < stdout.length; i++) {
    if (stdout[i] !== 0) continue;
    // find names the starting point itself "": rsync's name for it is ".".
    const name = i === start + 1 ? Buffer.from(".") : stdout.subarray(start + 1, i);
    (stdout[start] === 0x64 /* d */ ? dirs : others).push(name, nul);
    start = i + 1;
  }
  return { dirs: Buffer.concat(dirs), others: Buffer.concat(others), count: (dirs.length + others.length) / 2 };
}

async function rsyncList(src: string, copy: string, list: Buffer, listFile: string, opts: string[]): Promise<void> {
  if (!list.length) return;
  fs.writeFileSync(listFile, list, { mode: 0o600 });
  try {
    await run("rsync", [...opts, "--from0", `--files-from=${listFile}`, "--", `${src}/`, `${copy}/`], { maxBuffer: 1 << 20 });
  } finally {
    fs.rmSync(listFile, { force: true });
  }
}

/**
 * Copies into `copy` what changed in `src` since `since` (epoch seconds), `listFile` a
 * private scratch file; resolves with how many entries were listed (0: nothing to copy).
 * Listed directories first (recursive, --delete; a file below them by rsync's size+mtime
 * check), then every other listed entry with --ignore-times: a file rewritten with its
 * size and mtime set back is copied too (its ctime told).
 */
export async function copyChangedSince(src: string, copy: string, since: number, listFile: string): Promise<number> {
  const found = await changedSince(src, since);
  await rsyncList(src, copy, found.dirs, listFile, [...RSYNC, "-r"]);
  await rsyncList(src, copy, found.others, listFile, [...RSYNC.filter((o) => o !== "--delete"), "--ignore-times"]);
  return found.count;
}
